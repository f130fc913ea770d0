/* ferrotls OpenSSL-compatible headers: rsa.h (an RSA key's numbers, read-only: RSA is a view of an EVP_PKEY). */
#ifndef OPENSSL_RSA_H
#define OPENSSL_RSA_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/macros.h>
#include <openssl/types.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#ifdef __cplusplus
extern "C" {
#endif
#define RSA_METHOD_FLAG_NO_CHECK 0x0001
void RSA_free(RSA *r);
int RSA_flags(const RSA *r);
void RSA_get0_key(const RSA *r, const BIGNUM **n, const BIGNUM **e, const BIGNUM **d);
int RSA_bits(const RSA *rsa);
int RSA_size(const RSA *rsa);

#ifdef __cplusplus
}
#endif
#endif
