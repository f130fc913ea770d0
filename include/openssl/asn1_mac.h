/* ferrotls OpenSSL-compatible headers: asn1_mac.h, obsolete in OpenSSL 3.0 too. */
#error "This file is obsolete; please update your software."
