/* ferrotls OpenSSL-compatible headers: param_build.h. ferrotls implements nothing this OpenSSL 3.0 header
 * declares beyond what the headers included here declare, so it declares nothing more: a program
 * that needs it fails to compile here instead of silently picking up the system's OpenSSL header.
 * docs/openssl-compat.md lists what is implemented. */
#ifndef OPENSSL_PARAM_BUILD_H
#define OPENSSL_PARAM_BUILD_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/macros.h>
#include <openssl/types.h>

#endif
