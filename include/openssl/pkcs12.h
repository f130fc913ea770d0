/* ferrotls OpenSSL-compatible headers: pkcs12.h. PKCS#12 is not supported: d2i_PKCS12_bio and PKCS12_parse
 * fail with "unsupported" in the error queue (docs/openssl-compat.md). */
#ifndef OPENSSL_PKCS12_H
#define OPENSSL_PKCS12_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/macros.h>
#include <openssl/types.h>
#include <openssl/bio.h>
#include <openssl/x509.h>
#ifdef __cplusplus
extern "C" {
#endif
typedef struct PKCS12_st PKCS12;
PKCS12 *d2i_PKCS12_bio(BIO *bp, PKCS12 **p12);
int PKCS12_parse(PKCS12 *p12, const char *pass, EVP_PKEY **pkey, X509 **cert, STACK_OF(X509) **ca);
void PKCS12_free(PKCS12 *a);
void PKCS12_PBE_add(void);

#ifdef __cplusplus
}
#endif
#endif
