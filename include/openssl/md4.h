/* ferrotls OpenSSL-compatible headers: md4.h (MD4 for NTLM; OpenSSL 3.0 deprecates it but
 * still declares it). */
#ifndef OPENSSL_MD4_H
#define OPENSSL_MD4_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/macros.h>
#include <openssl/types.h>
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
#define MD4_LONG unsigned int
#define MD4_CBLOCK 64
#define MD4_LBLOCK (MD4_CBLOCK / 4)
#define MD4_DIGEST_LENGTH 16
typedef struct MD4state_st {
    MD4_LONG A, B, C, D;
    MD4_LONG Nl, Nh;
    MD4_LONG data[MD4_LBLOCK];
    unsigned int num;
} MD4_CTX;
int MD4_Init(MD4_CTX *c);
int MD4_Update(MD4_CTX *c, const void *data, size_t len);
int MD4_Final(unsigned char *md, MD4_CTX *c);
unsigned char *MD4(const unsigned char *d, size_t n, unsigned char *md);
#ifdef __cplusplus
}
#endif

#endif
