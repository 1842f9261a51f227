// C twin of sieve.lc.
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
int main(int argc, char **argv) {
    long long limit = 1000;
    if (argc > 1) limit = (long long)atoi(argv[1]);
    bool *composite = calloc((unsigned long long)limit + 1, 1);
    long long count = 0;
    unsigned long long checksum = 0;
    for (long long i = 2; i <= limit; i += 1) {
        if (!composite[i]) {
            count += 1;
            checksum = checksum * 31 + (unsigned long long)i;
            for (long long j = i * i; j <= limit; j += i) composite[j] = true;
        }
    }
    printf("primes up to %lld: %lld (checksum %llu)\n", limit, count, checksum);
    free(composite);
    return (int)(count % 256);
}
