/* ferrotls OpenSSL-compatible headers: buffer.h (BUF_MEM: OpenSSL 3.0's layout, as BIO_get_mem_ptr lends it out, and the
 * BUF_MEM_* functions for a program's own buffers). */
#ifndef OPENSSL_BUFFER_H
#define OPENSSL_BUFFER_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/macros.h>
#include <openssl/types.h>
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
/* OpenSSL 3.0's public layout. */
struct buf_mem_st {
    size_t length;
    char *data;
    size_t max;
    unsigned long flags;
};
typedef struct buf_mem_st BUF_MEM;

#define BUF_MEM_FLAG_SECURE 0x01

/* An empty buffer, or NULL. */
BUF_MEM *BUF_MEM_new(void);
BUF_MEM *BUF_MEM_new_ex(unsigned long flags);
/* Frees the buffer and its data (cleared first); NULL is a no-op. */
void BUF_MEM_free(BUF_MEM *a);
/* Sets length to len (new bytes zero), growing data as needed: len, or 0 on failure. */
size_t BUF_MEM_grow(BUF_MEM *str, size_t len);
/* BUF_MEM_grow that also clears bytes cut off and memory given back. */
size_t BUF_MEM_grow_clean(BUF_MEM *str, size_t len);
/* out = in reversed (in NULL: out reversed in place). */
void BUF_reverse(unsigned char *out, const unsigned char *in, size_t siz);

#ifdef __cplusplus
}
#endif
#endif
