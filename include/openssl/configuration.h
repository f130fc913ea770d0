/* ferrotls OpenSSL-compatible headers: configuration.h (OpenSSL 3 name of opensslconf.h). */
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/opensslconf.h>
