/* ferrotls OpenSSL-compatible headers: rand.h (the OS generator; seeding is accepted and not needed). */
#ifndef OPENSSL_RAND_H
#define OPENSSL_RAND_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/macros.h>
#include <openssl/types.h>

#ifdef __cplusplus
extern "C" {
#endif
int RAND_bytes(unsigned char *buf, int num);
int RAND_priv_bytes(unsigned char *buf, int num);
int RAND_pseudo_bytes(unsigned char *buf, int num);
int RAND_status(void);
int RAND_poll(void);
void RAND_seed(const void *buf, int num);
void RAND_add(const void *buf, int num, double randomness);
int RAND_load_file(const char *file, long max_bytes);
int RAND_write_file(const char *file);
const char *RAND_file_name(char *file, size_t num);
#ifdef __cplusplus
}
#endif
#endif
