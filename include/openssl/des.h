/* ferrotls OpenSSL-compatible headers: des.h (single DES, ECB, and the key helpers NTLM uses; the cipher is RustCrypto's). */
#ifndef OPENSSL_DES_H
#define OPENSSL_DES_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/macros.h>
#include <openssl/types.h>

#ifdef __cplusplus
extern "C" {
#endif
typedef unsigned int DES_LONG;
typedef unsigned char DES_cblock[8];
typedef /* const */ unsigned char const_DES_cblock[8];
typedef struct DES_ks {
    union {
        DES_cblock cblock;
        DES_LONG deslong[2];
    } ks[16];
} DES_key_schedule;
#define DES_ENCRYPT 1
#define DES_DECRYPT 0
void DES_set_odd_parity(DES_cblock *key);
int DES_check_key_parity(const_DES_cblock *key);
int DES_is_weak_key(const_DES_cblock *key);
int DES_set_key(const_DES_cblock *key, DES_key_schedule *schedule);
int DES_set_key_checked(const_DES_cblock *key, DES_key_schedule *schedule);
void DES_set_key_unchecked(const_DES_cblock *key, DES_key_schedule *schedule);
void DES_ecb_encrypt(const_DES_cblock *input, DES_cblock *output, DES_key_schedule *ks, int enc);
#ifdef __cplusplus
}
#endif
#endif
