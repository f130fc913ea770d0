/* ferrotls OpenSSL-compatible headers: macros.h (API level and deprecation markers).
 *
 * OPENSSL_API_COMPAT is what a program asks for (30000, 10101, or the old 0x10100000L form);
 * OPENSSL_API_LEVEL is it normalised to MAJOR*10000 + MINOR*100 + PATCH, defaulting to the
 * configured level (opensslconf.h). Asking for more than is configured is an error, as in
 * OpenSSL 3.0. */
#ifndef OPENSSL_MACROS_H
#define OPENSSL_MACROS_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/opensslconf.h>
#include <openssl/opensslv.h>

#define OPENSSL_MSTR_HELPER(x) #x
#define OPENSSL_MSTR(x) OPENSSL_MSTR_HELPER(x)

#ifndef OPENSSL_API_COMPAT
#define OPENSSL_API_LEVEL OPENSSL_CONFIGURED_API
#elif OPENSSL_API_COMPAT < 0x900000L
#define OPENSSL_API_LEVEL (OPENSSL_API_COMPAT)
#else
#define OPENSSL_API_LEVEL \
    (((OPENSSL_API_COMPAT >> 28) & 0xF) * 10000 + ((OPENSSL_API_COMPAT >> 20) & 0xFF) * 100 + \
     ((OPENSSL_API_COMPAT >> 12) & 0xFF))
#endif
#if OPENSSL_API_LEVEL > OPENSSL_CONFIGURED_API
#error "The requested API level higher than the configured API compatibility level"
#endif

#if defined(OPENSSL_NO_DEPRECATED)
#ifndef OPENSSL_NO_DEPRECATED_3_0
#define OPENSSL_NO_DEPRECATED_3_0
#endif
#ifndef OPENSSL_NO_DEPRECATED_1_1_1
#define OPENSSL_NO_DEPRECATED_1_1_1
#endif
#ifndef OPENSSL_NO_DEPRECATED_1_1_0
#define OPENSSL_NO_DEPRECATED_1_1_0
#endif
#ifndef OPENSSL_NO_DEPRECATED_1_0_2
#define OPENSSL_NO_DEPRECATED_1_0_2
#endif
#endif

#if defined(__GNUC__) && !defined(OPENSSL_SUPPRESS_DEPRECATED)
#define OSSL_DEPRECATED(since) __attribute__((deprecated))
#define OSSL_DEPRECATED_FOR(since, message) __attribute__((deprecated))
#else
#define OSSL_DEPRECATED(since)
#define OSSL_DEPRECATED_FOR(since, message)
#endif
#define OSSL_DEPRECATEDIN_3_0 OSSL_DEPRECATED(3.0)
#define OSSL_DEPRECATEDIN_3_0_FOR(msg) OSSL_DEPRECATED_FOR(3.0, msg)
#define OSSL_DEPRECATEDIN_1_1_1 OSSL_DEPRECATED(1.1.1)
#define OSSL_DEPRECATEDIN_1_1_1_FOR(msg) OSSL_DEPRECATED_FOR(1.1.1, msg)
#define OSSL_DEPRECATEDIN_1_1_0 OSSL_DEPRECATED(1.1.0)
#define OSSL_DEPRECATEDIN_1_1_0_FOR(msg) OSSL_DEPRECATED_FOR(1.1.0, msg)
#define OSSL_DEPRECATEDIN_1_0_2 OSSL_DEPRECATED(1.0.2)
#define OSSL_DEPRECATEDIN_1_0_0 OSSL_DEPRECATED(1.0.0)
#define OSSL_DEPRECATEDIN_0_9_8 OSSL_DEPRECATED(0.9.8)

#ifndef OPENSSL_FILE
#define OPENSSL_FILE __FILE__
#define OPENSSL_LINE __LINE__
#endif
#ifndef OPENSSL_FUNC
#define OPENSSL_FUNC __func__
#endif
#endif
