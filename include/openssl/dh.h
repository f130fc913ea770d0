/* ferrotls OpenSSL-compatible headers: dh.h (DH parameters as a container: ferrotls has no DHE suites yet). */
#ifndef OPENSSL_DH_H
#define OPENSSL_DH_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/macros.h>
#include <openssl/types.h>
#include <openssl/bn.h>

#ifdef __cplusplus
extern "C" {
#endif
DH *DH_new(void);
void DH_free(DH *dh);
int DH_set0_pqg(DH *dh, BIGNUM *p, BIGNUM *q, BIGNUM *g);
void DH_get0_pqg(const DH *dh, const BIGNUM **p, const BIGNUM **q, const BIGNUM **g);
int DH_bits(const DH *dh);
#ifdef __cplusplus
}
#endif
#endif
