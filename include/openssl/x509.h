/* ferrotls OpenSSL-compatible headers: x509.h */
#ifndef OPENSSL_X509_H
#define OPENSSL_X509_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <stdio.h>
#include <openssl/types.h>
#include <openssl/safestack.h>
#include <openssl/asn1.h>
#include <openssl/obj_mac.h>
#include <openssl/bio.h>
#include <openssl/buffer.h>
#include <openssl/evp.h>
#ifdef __cplusplus
extern "C" {
#endif

SKM_DEFINE_STACK_OF(X509, X509, X509)
SKM_DEFINE_STACK_OF(X509_NAME, X509_NAME, X509_NAME)

#define X509_FILETYPE_PEM 1
#define X509_FILETYPE_ASN1 2
#define X509_FILETYPE_DEFAULT 3


#define XN_FLAG_SEP_MASK (0xf << 16)
#define XN_FLAG_COMPAT 0
#define XN_FLAG_SEP_COMMA_PLUS (1 << 16)
#define XN_FLAG_SEP_CPLUS_SPC (2 << 16)
#define XN_FLAG_SEP_SPLUS_SPC (3 << 16)
#define XN_FLAG_SEP_MULTILINE (4 << 16)
#define XN_FLAG_DN_REV (1 << 20)
#define XN_FLAG_FN_MASK (0x3 << 21)
#define XN_FLAG_FN_SN 0
#define XN_FLAG_FN_LN (1 << 21)
#define XN_FLAG_FN_OID (2 << 21)
#define XN_FLAG_FN_NONE (3 << 21)
#define XN_FLAG_SPC_EQ (1 << 23)
#define XN_FLAG_DUMP_UNKNOWN_FIELDS (1 << 24)
#define XN_FLAG_FN_ALIGN (1 << 25)
#define ASN1_STRFLGS_ESC_2253 1
#define ASN1_STRFLGS_ESC_CTRL 2
#define ASN1_STRFLGS_ESC_MSB 4
#define ASN1_STRFLGS_ESC_QUOTE 8
#define ASN1_STRFLGS_UTF8_CONVERT 0x10
#define ASN1_STRFLGS_DUMP_UNKNOWN 0x100
#define ASN1_STRFLGS_DUMP_DER 0x200
#define ASN1_STRFLGS_RFC2253 (ASN1_STRFLGS_ESC_2253 | ASN1_STRFLGS_ESC_CTRL | ASN1_STRFLGS_ESC_MSB | \
                              ASN1_STRFLGS_UTF8_CONVERT | ASN1_STRFLGS_DUMP_UNKNOWN | ASN1_STRFLGS_DUMP_DER)
#define XN_FLAG_RFC2253 (ASN1_STRFLGS_RFC2253 | XN_FLAG_SEP_COMMA_PLUS | XN_FLAG_DN_REV | XN_FLAG_FN_SN | \
                         XN_FLAG_DUMP_UNKNOWN_FIELDS)
#define XN_FLAG_ONELINE (ASN1_STRFLGS_RFC2253 | ASN1_STRFLGS_ESC_QUOTE | XN_FLAG_SEP_CPLUS_SPC | \
                         XN_FLAG_SPC_EQ | XN_FLAG_FN_SN)
#define XN_FLAG_MULTILINE (ASN1_STRFLGS_ESC_CTRL | ASN1_STRFLGS_ESC_MSB | XN_FLAG_SEP_MULTILINE | \
                           XN_FLAG_SPC_EQ | XN_FLAG_FN_LN | XN_FLAG_FN_ALIGN)

void X509_free(X509 *a);
int X509_up_ref(X509 *a);
X509 *X509_dup(const X509 *a);
X509_NAME *X509_get_subject_name(const X509 *a);
X509_NAME *X509_get_issuer_name(const X509 *a);
ASN1_INTEGER *X509_get_serialNumber(X509 *x);
const ASN1_INTEGER *X509_get0_serialNumber(const X509 *x);
const ASN1_TIME *X509_get0_notBefore(const X509 *x);
const ASN1_TIME *X509_get0_notAfter(const X509 *x);
ASN1_TIME *X509_getm_notBefore(const X509 *x);
ASN1_TIME *X509_getm_notAfter(const X509 *x);
#define X509_get_notBefore X509_getm_notBefore
#define X509_get_notAfter X509_getm_notAfter
long X509_get_version(const X509 *x);
EVP_PKEY *X509_get_pubkey(X509 *x);
EVP_PKEY *X509_get0_pubkey(const X509 *x);
int X509_check_private_key(const X509 *x509, const EVP_PKEY *pkey);
int X509_cmp_current_time(const ASN1_TIME *s);
const char *X509_verify_cert_error_string(long n);
X509 *d2i_X509(X509 **a, const unsigned char **in, long len);
int i2d_X509(const X509 *a, unsigned char **out);
typedef struct X509_pubkey_st X509_PUBKEY;
X509_PUBKEY *X509_get_X509_PUBKEY(const X509 *x);
int i2d_X509_PUBKEY(const X509_PUBKEY *a, unsigned char **out);

char *X509_NAME_oneline(const X509_NAME *a, char *buf, int size);
int X509_NAME_print_ex(BIO *out, const X509_NAME *nm, int indent, unsigned long flags);
int X509_NAME_print_ex_fp(FILE *fp, const X509_NAME *nm, int indent, unsigned long flags);
int X509_NAME_get_text_by_NID(const X509_NAME *name, int nid, char *buf, int len);
int X509_NAME_get_index_by_NID(const X509_NAME *name, int nid, int lastpos);
int X509_NAME_entry_count(const X509_NAME *name);
/* OpenSSL 3.0's public layout; ferrotls fills x509 (crl and x_pkey stay NULL: PEM_X509_INFO_read_bio
 * reads the certificates of a PEM stream and skips other blocks). */
typedef struct X509_info_st {
    X509 *x509;
    void *crl;
    void *x_pkey;
    struct { const void *cipher; unsigned char iv[16]; } enc_cipher;
    int enc_len;
    char *enc_data;
    int references;
} X509_INFO;
SKM_DEFINE_STACK_OF(X509_INFO, X509_INFO, X509_INFO)
void X509_INFO_free(X509_INFO *a);
X509 *d2i_X509_bio(BIO *bp, X509 **x509);
X509_NAME_ENTRY *X509_NAME_get_entry(const X509_NAME *name, int loc);
ASN1_OBJECT *X509_NAME_ENTRY_get_object(const X509_NAME_ENTRY *ne);
ASN1_STRING *X509_NAME_ENTRY_get_data(const X509_NAME_ENTRY *ne);
int X509_get_ext_count(const X509 *x);
X509_EXTENSION *X509_get_ext(const X509 *x, int loc);
int X509_get_ext_by_NID(const X509 *x, int nid, int lastpos);
void *X509_get_ext_d2i(const X509 *x, int nid, int *crit, int *idx);
ASN1_OBJECT *X509_EXTENSION_get_object(X509_EXTENSION *ex);
ASN1_OCTET_STRING *X509_EXTENSION_get_data(X509_EXTENSION *ne);
int X509_EXTENSION_get_critical(const X509_EXTENSION *ex);
X509_NAME *X509_NAME_dup(const X509_NAME *xn);
void X509_NAME_free(X509_NAME *a);
int X509_NAME_cmp(const X509_NAME *a, const X509_NAME *b);

/* OpenSSL 3.0's public layout (curl reads ->algorithm); parameter is always NULL in ferrotls. */
struct X509_algor_st {
    ASN1_OBJECT *algorithm;
    void *parameter;
};
typedef struct X509_algor_st X509_ALGOR;
SKM_DEFINE_STACK_OF(X509_EXTENSION, X509_EXTENSION, X509_EXTENSION)
const STACK_OF(X509_EXTENSION) *X509_get0_extensions(const X509 *x);
void X509_get0_signature(const ASN1_BIT_STRING **psig, const X509_ALGOR **palg, const X509 *x);
typedef struct X509_pubkey_st X509_PUBKEY;
int X509_PUBKEY_get0_param(ASN1_OBJECT **ppkalg, const unsigned char **pk, int *ppklen, X509_ALGOR **pa,
                           const X509_PUBKEY *pub);
int X509_check_issued(X509 *issuer, X509 *subject);
EVP_PKEY *d2i_PrivateKey_bio(BIO *bp, EVP_PKEY **a);

#ifdef __cplusplus
}
#endif
#include <openssl/x509_vfy.h>
#endif
