/* ferrotls OpenSSL-compatible headers: e_os2.h */
#ifndef OPENSSL_E_OS2_H
#define OPENSSL_E_OS2_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <stdint.h>
#include <openssl/opensslconf.h>
#define OPENSSL_EXPORT extern
#define OPENSSL_FILE __FILE__
#define OPENSSL_LINE __LINE__
#define OPENSSL_FUNC __func__
#define ossl_inline inline
#define ossl_noreturn
#define ossl_unused
#endif
