/* ferrotls OpenSSL-compatible headers: asn1.h (the ASN1_INTEGER/ASN1_TIME subset). */
#ifndef OPENSSL_ASN1_H
#define OPENSSL_ASN1_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/types.h>
#include <openssl/bio.h>
#ifdef __cplusplus
extern "C" {
#endif
/* Public in OpenSSL 3.0 too: programs read ->data and ->length (e.g. of a GENERAL_NAME's
 * iPAddress, curl a serial number's). ferrotls' ASN1_STRINGs (name entries, extension values, general
 * names, ASN1_INTEGER serial numbers: the magnitude, the sign in the type, ASN1_BIT_STRING signatures)
 * have this layout; ASN1_TIME values are opaque (use the functions). */
struct asn1_string_st {
    int length;
    int type;
    unsigned char *data;
    long flags;
};

#define V_ASN1_UNIVERSAL 0x00
#define V_ASN1_INTEGER 2
#define V_ASN1_BIT_STRING 3
#define V_ASN1_OCTET_STRING 4
#define V_ASN1_NULL 5
#define V_ASN1_OBJECT 6
#define V_ASN1_UTF8STRING 12
#define V_ASN1_SEQUENCE 16
#define V_ASN1_SET 17
#define V_ASN1_NUMERICSTRING 18
#define V_ASN1_PRINTABLESTRING 19
#define V_ASN1_T61STRING 20
#define V_ASN1_TELETEXSTRING 20
#define V_ASN1_IA5STRING 22
#define V_ASN1_UTCTIME 23
#define V_ASN1_GENERALIZEDTIME 24
#define V_ASN1_UNIVERSALSTRING 28
#define V_ASN1_BMPSTRING 30
#define V_ASN1_NEG 0x100
#define V_ASN1_NEG_INTEGER (2 | V_ASN1_NEG)
typedef struct asn1_string_st ASN1_BIT_STRING;

const unsigned char *ASN1_STRING_get0_data(const ASN1_STRING *x);
unsigned char *ASN1_STRING_data(ASN1_STRING *x);
int ASN1_STRING_length(const ASN1_STRING *x);
int ASN1_STRING_type(const ASN1_STRING *x);
int ASN1_STRING_to_UTF8(unsigned char **out, const ASN1_STRING *in);
ASN1_STRING *ASN1_STRING_dup(const ASN1_STRING *a);
void ASN1_STRING_free(ASN1_STRING *a);
#define ASN1_IA5STRING_free(a) ASN1_STRING_free(a)
void ASN1_OCTET_STRING_free(ASN1_OCTET_STRING *a);
int ASN1_STRING_cmp(const ASN1_STRING *a, const ASN1_STRING *b);
long ASN1_INTEGER_get(const ASN1_INTEGER *a);
int i2a_ASN1_INTEGER(BIO *bp, const ASN1_INTEGER *a);
int ASN1_TIME_print(BIO *fp, const ASN1_TIME *a);
int ASN1_STRING_print(BIO *bp, const ASN1_STRING *v);
int i2a_ASN1_OBJECT(BIO *bp, const ASN1_OBJECT *a);
int i2t_ASN1_OBJECT(char *buf, int buf_len, const ASN1_OBJECT *a);
#ifdef __cplusplus
}
#endif
#endif
