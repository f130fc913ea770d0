/* ferrotls OpenSSL-compatible headers: bn.h (BIGNUM as a container of octets: no arithmetic). */
#ifndef OPENSSL_BN_H
#define OPENSSL_BN_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/macros.h>
#include <openssl/types.h>

#ifdef __cplusplus
extern "C" {
#endif
BIGNUM *BN_new(void);
void BN_free(BIGNUM *a);
void BN_clear_free(BIGNUM *a);
BIGNUM *BN_bin2bn(const unsigned char *s, int len, BIGNUM *ret);
int BN_bn2bin(const BIGNUM *a, unsigned char *to);
int BN_num_bits(const BIGNUM *a);
#define BN_num_bytes(a) ((BN_num_bits(a) + 7) / 8)
int BN_set_word(BIGNUM *a, unsigned long w);
unsigned long BN_get_word(const BIGNUM *a);
int BN_print(BIO *bio, const BIGNUM *a);
#ifdef __cplusplus
}
#endif
#endif
