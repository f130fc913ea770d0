/* ferrotls OpenSSL-compatible headers: tls1.h */
#ifndef OPENSSL_TLS1_H
#define OPENSSL_TLS1_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/prov_ssl.h>
#include <openssl/types.h> /* SSL, SSL_CTX, EVP_CIPHER_CTX, EVP_MAC_CTX, as OpenSSL's tls1.h has them */
#define TLS_MAX_VERSION TLS1_3_VERSION
#define TLS_ANY_VERSION 0x10000
#define TLS1_VERSION_MAJOR 0x03
#define TLS1_VERSION_MINOR 0x01
#define TLS1_AD_DECRYPTION_FAILED 21
#define TLS1_AD_RECORD_OVERFLOW 22
#define TLS1_AD_UNKNOWN_CA 48
#define TLS1_AD_ACCESS_DENIED 49
#define TLS1_AD_DECODE_ERROR 50
#define TLS1_AD_DECRYPT_ERROR 51
#define TLS1_AD_EXPORT_RESTRICTION 60
#define TLS1_AD_PROTOCOL_VERSION 70
#define TLS1_AD_INSUFFICIENT_SECURITY 71
#define TLS1_AD_INTERNAL_ERROR 80
#define TLS1_AD_INAPPROPRIATE_FALLBACK 86
#define TLS1_AD_USER_CANCELLED 90
#define TLS1_AD_NO_RENEGOTIATION 100
#define TLS1_AD_UNSUPPORTED_EXTENSION 110
#define TLS1_AD_UNRECOGNIZED_NAME 112
#define TLS1_AD_NO_APPLICATION_PROTOCOL 120
#define TLSEXT_TYPE_server_name 0
#define TLSEXT_TYPE_application_layer_protocol_negotiation 16
#define TLSEXT_TYPE_encrypt_then_mac 22
#define TLSEXT_TYPE_extended_master_secret 23
#define TLSEXT_TYPE_renegotiate 0xff01
#define TLSEXT_NAMETYPE_host_name 0
#define TLSEXT_STATUSTYPE_ocsp 1
#define TLSEXT_MAXLEN_host_name 255
#define TLS1_CK_RSA_WITH_AES_128_SHA 0x0300002F
#define TLS1_CK_RSA_WITH_AES_256_SHA 0x03000035
#define TLS1_CK_RSA_WITH_AES_128_SHA256 0x0300003C
#define TLS1_CK_RSA_WITH_AES_256_SHA256 0x0300003D
#define TLS1_TXT_RSA_WITH_AES_128_SHA "AES128-SHA"
#define TLS1_TXT_RSA_WITH_AES_256_SHA "AES256-SHA"
#define TLS1_TXT_RSA_WITH_AES_128_SHA256 "AES128-SHA256"
#define TLS1_TXT_RSA_WITH_AES_256_SHA256 "AES256-SHA256"

#define SSL_TLSEXT_ERR_OK 0
#define SSL_TLSEXT_ERR_ALERT_WARNING 1
#define SSL_TLSEXT_ERR_ALERT_FATAL 2
#define SSL_TLSEXT_ERR_NOACK 3

#define SSL_set_tlsext_host_name(s, name) \
    SSL_ctrl(s, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, (void *)name)
#define SSL_CTX_set_tlsext_servername_callback(ctx, cb) \
    SSL_CTX_callback_ctrl(ctx, SSL_CTRL_SET_TLSEXT_SERVERNAME_CB, (void (*)(void))cb)
#define SSL_CTX_set_tlsext_servername_arg(ctx, arg) SSL_CTX_ctrl(ctx, SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG, 0, arg)
#define SSL_CTX_set_tlsext_status_cb(ssl, cb) \
    SSL_CTX_callback_ctrl(ssl, SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB, (void (*)(void))cb)
#define SSL_CTX_get_tlsext_status_cb(ssl, cb) SSL_CTX_ctrl(ssl, SSL_CTRL_GET_TLSEXT_STATUS_REQ_CB, 0, (void *)cb)
#define SSL_CTX_set_tlsext_status_arg(ssl, arg) SSL_CTX_ctrl(ssl, SSL_CTRL_SET_TLSEXT_STATUS_REQ_CB_ARG, 0, arg)
#define SSL_CTX_get_tlsext_status_arg(ssl, arg) SSL_CTX_ctrl(ssl, SSL_CTRL_GET_TLSEXT_STATUS_REQ_CB_ARG, 0, arg)
#define SSL_set_tlsext_status_type(ssl, type) SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_STATUS_REQ_TYPE, type, NULL)
#define SSL_get_tlsext_status_type(ssl) SSL_ctrl(ssl, SSL_CTRL_GET_TLSEXT_STATUS_REQ_TYPE, 0, NULL)
/* Session-ticket key callbacks (docs/openssl-compat.md "Session tickets"). */
#ifndef OPENSSL_NO_DEPRECATED_3_0
#define SSL_CTX_set_tlsext_ticket_key_cb(ssl, cb) \
    SSL_CTX_callback_ctrl(ssl, SSL_CTRL_SET_TLSEXT_TICKET_KEY_CB, (void (*)(void))cb)
#endif
int SSL_CTX_set_tlsext_ticket_key_evp_cb(SSL_CTX *ctx, int (*fp)(SSL *, unsigned char *, unsigned char *, EVP_CIPHER_CTX *,
                                                                 EVP_MAC_CTX *, int));
#endif
