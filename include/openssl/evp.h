/* ferrotls OpenSSL-compatible headers: evp.h (the EVP_PKEY subset a TLS program touches). */
#ifndef OPENSSL_EVP_H
#define OPENSSL_EVP_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/types.h>
#ifdef __cplusplus
extern "C" {
#endif
#define EVP_PKEY_NONE 0
#define EVP_PKEY_RSA 6
void EVP_PKEY_free(EVP_PKEY *pkey);
int EVP_PKEY_up_ref(EVP_PKEY *pkey);
int EVP_PKEY_get_id(const EVP_PKEY *pkey);
int EVP_PKEY_get_base_id(const EVP_PKEY *pkey);
int EVP_PKEY_get_bits(const EVP_PKEY *pkey);
#define EVP_PKEY_id EVP_PKEY_get_id
#define EVP_PKEY_base_id EVP_PKEY_get_base_id
#define EVP_PKEY_bits EVP_PKEY_get_bits
/* Real function too (configure probes); a no-op macro in OpenSSL 3. */
void EVP_cleanup(void);
void OpenSSL_add_all_algorithms(void);
#define OpenSSL_add_all_ciphers() ((void)0)
#define OpenSSL_add_all_digests() ((void)0)
#ifdef __cplusplus
}
#endif
#endif
