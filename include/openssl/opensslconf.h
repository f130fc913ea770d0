/* ferrotls OpenSSL-compatible headers: opensslconf.h (configuration macros). */
#ifndef OPENSSL_OPENSSLCONF_H
#define OPENSSL_OPENSSLCONF_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/opensslv.h>
/* The API level these headers model (macros.h checks OPENSSL_API_COMPAT against it). */
#define OPENSSL_CONFIGURED_API 30000
#define OPENSSL_NO_SSL3 1
#define OPENSSL_NO_SSL3_METHOD 1
#define OPENSSL_NO_TLS1_3 1
#define OPENSSL_NO_DTLS 1
#define OPENSSL_NO_COMP 1
#define OPENSSL_NO_PSK 1
#define OPENSSL_NO_SRP 1
#define OPENSSL_NO_CT 1
#define OPENSSL_NO_OCSP 1
#define OPENSSL_NO_ENGINE 1
#define OPENSSL_NO_DH 1
#define OPENSSL_NO_EC 1
#define OPENSSL_NO_NEXTPROTONEG 1
#define OPENSSL_THREADS 1
#endif
#include <openssl/macros.h>
