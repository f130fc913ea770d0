/* ferrotls OpenSSL-compatible headers: safestack.h (typed stacks as static inline wrappers,
 * as OpenSSL 3 defines them; only OPENSSL_sk_* are library symbols). */
#ifndef OPENSSL_SAFESTACK_H
#define OPENSSL_SAFESTACK_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/stack.h>

#define STACK_OF(type) struct stack_st_##type

#define SKM_DEFINE_STACK_OF(t1, t2, t3)                                                         \
    STACK_OF(t1);                                                                             \
    typedef void (*sk_##t1##_freefunc)(t3 *a);                                                \
    static ossl_unused ossl_inline int sk_##t1##_num(const STACK_OF(t1) *sk)                  \
    { return OPENSSL_sk_num((const OPENSSL_STACK *)sk); }                                     \
    static ossl_unused ossl_inline t2 *sk_##t1##_value(const STACK_OF(t1) *sk, int idx)       \
    { return (t2 *)OPENSSL_sk_value((const OPENSSL_STACK *)sk, idx); }                        \
    static ossl_unused ossl_inline STACK_OF(t1) *sk_##t1##_new_null(void)                     \
    { return (STACK_OF(t1) *)OPENSSL_sk_new_null(); }                                         \
    static ossl_unused ossl_inline int sk_##t1##_push(STACK_OF(t1) *sk, t2 *ptr)              \
    { return OPENSSL_sk_push((OPENSSL_STACK *)sk, (const void *)ptr); }                       \
    static ossl_unused ossl_inline t2 *sk_##t1##_pop(STACK_OF(t1) *sk)                        \
    { return (t2 *)OPENSSL_sk_pop((OPENSSL_STACK *)sk); }                                     \
    static ossl_unused ossl_inline t2 *sk_##t1##_shift(STACK_OF(t1) *sk)                      \
    { return (t2 *)OPENSSL_sk_shift((OPENSSL_STACK *)sk); }                                   \
    static ossl_unused ossl_inline void sk_##t1##_free(STACK_OF(t1) *sk)                      \
    { OPENSSL_sk_free((OPENSSL_STACK *)sk); }                                                 \
    static ossl_unused ossl_inline void sk_##t1##_pop_free(STACK_OF(t1) *sk, sk_##t1##_freefunc f) \
    { OPENSSL_sk_pop_free((OPENSSL_STACK *)sk, (OPENSSL_sk_freefunc)f); }

#define DEFINE_STACK_OF(t) SKM_DEFINE_STACK_OF(t, t, t)
#define DEFINE_STACK_OF_CONST(t) SKM_DEFINE_STACK_OF(t, const t, t)

#endif
