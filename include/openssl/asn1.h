/* ferrotls OpenSSL-compatible headers: asn1.h (the ASN1_INTEGER/ASN1_TIME subset). */
#ifndef OPENSSL_ASN1_H
#define OPENSSL_ASN1_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/types.h>
#include <openssl/bio.h>
#ifdef __cplusplus
extern "C" {
#endif
long ASN1_INTEGER_get(const ASN1_INTEGER *a);
int i2a_ASN1_INTEGER(BIO *bp, const ASN1_INTEGER *a);
int ASN1_TIME_print(BIO *fp, const ASN1_TIME *a);
#ifdef __cplusplus
}
#endif
#endif
