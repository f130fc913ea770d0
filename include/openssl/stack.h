/* ferrotls OpenSSL-compatible headers: stack.h (the untyped stack). */
#ifndef OPENSSL_STACK_H
#define OPENSSL_STACK_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/types.h>
#ifdef __cplusplus
extern "C" {
#endif
typedef struct stack_st OPENSSL_STACK;
typedef void (*OPENSSL_sk_freefunc)(void *);
int OPENSSL_sk_num(const OPENSSL_STACK *st);
void *OPENSSL_sk_value(const OPENSSL_STACK *st, int i);
OPENSSL_STACK *OPENSSL_sk_new_null(void);
OPENSSL_STACK *OPENSSL_sk_new(void *cmp);
int OPENSSL_sk_push(OPENSSL_STACK *st, const void *data);
void *OPENSSL_sk_pop(OPENSSL_STACK *st);
void *OPENSSL_sk_shift(OPENSSL_STACK *st);
void OPENSSL_sk_free(OPENSSL_STACK *st);
void OPENSSL_sk_pop_free(OPENSSL_STACK *st, void (*func)(void *));
#ifdef __cplusplus
}
#endif
#endif
