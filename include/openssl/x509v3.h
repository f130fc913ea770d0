/* ferrotls OpenSSL-compatible headers: x509v3.h (host and IP checks, subjectAltName as GENERAL_NAMES). */
#ifndef OPENSSL_X509V3_H
#define OPENSSL_X509V3_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/x509.h>
#ifdef __cplusplus
extern "C" {
#endif
#define GEN_OTHERNAME 0
#define GEN_EMAIL 1
#define GEN_DNS 2
#define GEN_X400 3
#define GEN_DIRNAME 4
#define GEN_EDIPARTY 5
#define GEN_URI 6
#define GEN_IPADD 7
#define GEN_RID 8

/* OpenSSL 3.0's public layout. ferrotls fills ia5 (EMAIL, DNS, URI), iPAddress (IPADD),
 * directoryName (DIRNAME) and registeredID (RID); otherName, x400Address and ediPartyName hold
 * their DER in an ASN1_STRING (other) instead of OpenSSL's parsed structures. */
typedef struct GENERAL_NAME_st {
    int type;
    union {
        char *ptr;
        ASN1_STRING *otherName;
        ASN1_IA5STRING *rfc822Name;
        ASN1_IA5STRING *dNSName;
        ASN1_STRING *x400Address;
        X509_NAME *directoryName;
        ASN1_STRING *ediPartyName;
        ASN1_IA5STRING *uniformResourceIdentifier;
        ASN1_OCTET_STRING *iPAddress;
        ASN1_OBJECT *registeredID;
        ASN1_OCTET_STRING *ip;
        X509_NAME *dirn;
        ASN1_IA5STRING *ia5;
        ASN1_OBJECT *rid;
        ASN1_STRING *other;
    } d;
} GENERAL_NAME;
SKM_DEFINE_STACK_OF(GENERAL_NAME, GENERAL_NAME, GENERAL_NAME)
typedef STACK_OF(GENERAL_NAME) GENERAL_NAMES;
typedef struct v3_ext_method X509V3_EXT_METHOD;

void GENERAL_NAME_free(GENERAL_NAME *a);
void GENERAL_NAMES_free(GENERAL_NAMES *a);
ASN1_OCTET_STRING *a2i_IPADDRESS(const char *ipasc);
const X509V3_EXT_METHOD *X509V3_EXT_get(X509_EXTENSION *ext);
const X509V3_EXT_METHOD *X509V3_EXT_get_nid(int nid);
int X509_check_host(X509 *x, const char *chk, size_t chklen, unsigned int flags, char **peername);
int X509_check_ip_asc(X509 *x, const char *address, unsigned int flags);
int X509V3_EXT_print(BIO *out, X509_EXTENSION *ext, unsigned long flag, int indent);
#ifdef __cplusplus
}
#endif
#endif
