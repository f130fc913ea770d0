/* ferrotls OpenSSL-compatible headers: buffer.h (BUF_MEM's layout, as BIO_get_mem_ptr lends it out; the BUF_MEM_* functions are
 * not implemented). */
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

#ifdef __cplusplus
}
#endif
#endif
