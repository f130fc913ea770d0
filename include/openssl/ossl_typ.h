/* ferrotls OpenSSL-compatible headers: ossl_typ.h (pre-3.0 name of types.h). */
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/types.h>
