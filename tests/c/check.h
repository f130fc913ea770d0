/* A minimal test harness: CHECK counts; main ends with "N passed, N failed". */
#ifndef FERROTLS_TEST_CHECK_H
#define FERROTLS_TEST_CHECK_H
#include <stdio.h>
static int checks_passed, checks_failed;
#define CHECK(cond)                                                                       \
    do {                                                                                  \
        if (cond) checks_passed++;                                                        \
        else { checks_failed++; fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); } \
    } while (0)
#define CHECK_RC(call, want) CHECK((call) == (want))
#define REPORT(name) (printf("%s: %d passed, %d failed\n", name, checks_passed, checks_failed), checks_failed ? 1 : 0)
#endif
