/*
 * ferrotls OpenSSL-compatible headers: opensslv.h
 *
 * These headers declare the subset of the OpenSSL 3.0 API that libferrotls exports (installed
 * as libssl.so and libcrypto.so). Names, constant values, SSL_CTRL_* numbers and macro
 * expansions follow OpenSSL 3.0; docs/openssl-compat.md lists every symbol and the known
 * differences. They are written for ferrotls, not copied from OpenSSL.
 */
#ifndef OPENSSL_OPENSSLV_H
#define OPENSSL_OPENSSLV_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif

/* The API level modelled: OpenSSL 3.0.0. */
#define OPENSSL_VERSION_MAJOR 3
#define OPENSSL_VERSION_MINOR 0
#define OPENSSL_VERSION_PATCH 0
#define OPENSSL_VERSION_PRE_RELEASE ""
#define OPENSSL_VERSION_BUILD_METADATA "+ferrotls"
#define OPENSSL_VERSION_STR "3.0.0"
#define OPENSSL_FULL_VERSION_STR "3.0.0+ferrotls"
#define OPENSSL_VERSION_TEXT "OpenSSL 3.0.0 (compatible; ferrotls 0.1.0)"
#define OPENSSL_VERSION_NUMBER 0x30000000L
#define OPENSSL_SHLIB_VERSION 3

/* Marks these headers as ferrotls' (for programs that want to tell). */
#define FERROTLS_OPENSSL_COMPAT 1

#endif
