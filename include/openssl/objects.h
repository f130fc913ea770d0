/* ferrotls OpenSSL-compatible headers: objects.h (names and NIDs of the objects in obj_mac.h). */
#ifndef OPENSSL_OBJECTS_H
#define OPENSSL_OBJECTS_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/macros.h>
#include <openssl/types.h>
#include <openssl/obj_mac.h>
#ifdef __cplusplus
extern "C" {
#endif
const char *OBJ_nid2sn(int n);
const char *OBJ_nid2ln(int n);
int OBJ_obj2nid(const ASN1_OBJECT *o);
int OBJ_sn2nid(const char *s);
int OBJ_ln2nid(const char *s);
int OBJ_txt2nid(const char *s);
int OBJ_obj2txt(char *buf, int buf_len, const ASN1_OBJECT *a, int no_name);
#ifdef __cplusplus
}
#endif
#endif
