/* ferrotls OpenSSL-compatible headers: x509v3.h (host and IP checks). */
#ifndef OPENSSL_X509V3_H
#define OPENSSL_X509V3_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/x509.h>
#ifdef __cplusplus
extern "C" {
#endif
int X509_check_host(X509 *x, const char *chk, size_t chklen, unsigned int flags, char **peername);
int X509_check_ip_asc(X509 *x, const char *address, unsigned int flags);
#ifdef __cplusplus
}
#endif
#endif
