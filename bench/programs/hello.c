/* hello.c — C twin of hello.lc (reference for process startup time). */
#include <stdio.h>

int main(void) {
    printf("hello, world\n");
    return 0;
}
