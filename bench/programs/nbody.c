/* nbody.c — C twin of nbody.lc (same algorithm, same operation order). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Body {
    double x, y, z, vx, vy, vz, mass;
} Body;

#define PI 3.141592653589793
#define SOLAR_MASS (4.0 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define NBODIES 5

static void offset_momentum(Body *b, int64_t n) {
    double px = 0.0, py = 0.0, pz = 0.0;
    for (int64_t i = 0; i < n; i += 1) {
        px += b[i].vx * b[i].mass;
        py += b[i].vy * b[i].mass;
        pz += b[i].vz * b[i].mass;
    }
    b[0].vx = -px / SOLAR_MASS;
    b[0].vy = -py / SOLAR_MASS;
    b[0].vz = -pz / SOLAR_MASS;
}

static double energy(Body *b, int64_t n) {
    double e = 0.0;
    for (int64_t i = 0; i < n; i += 1) {
        Body *bi = &b[i];
        e += 0.5 * bi->mass * (bi->vx * bi->vx + bi->vy * bi->vy + bi->vz * bi->vz);
        for (int64_t j = i + 1; j < n; j += 1) {
            Body *bj = &b[j];
            double dx = bi->x - bj->x;
            double dy = bi->y - bj->y;
            double dz = bi->z - bj->z;
            e -= (bi->mass * bj->mass) / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(Body *b, int64_t n, double dt) {
    for (int64_t i = 0; i < n; i += 1) {
        Body *bi = &b[i];
        for (int64_t j = i + 1; j < n; j += 1) {
            Body *bj = &b[j];
            double dx = bi->x - bj->x;
            double dy = bi->y - bj->y;
            double dz = bi->z - bj->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            bi->vx -= dx * bj->mass * mag;
            bi->vy -= dy * bj->mass * mag;
            bi->vz -= dz * bj->mass * mag;
            bj->vx += dx * bi->mass * mag;
            bj->vy += dy * bi->mass * mag;
            bj->vz += dz * bi->mass * mag;
        }
    }
    for (int64_t i = 0; i < n; i += 1) {
        Body *bi = &b[i];
        bi->x += dt * bi->vx;
        bi->y += dt * bi->vy;
        bi->z += dt * bi->vz;
    }
}

int main(int argc, char **argv) {
    int64_t steps = 1000;
    if (argc > 1) steps = (int64_t)atoi(argv[1]);
    Body bodies[5] = {
        {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS},
        {4.84143144246472090, -1.16032004402742839, -1.03622044471123109e-1,
         1.66007664274403694e-3 * DAYS_PER_YEAR, 7.69901118419740425e-3 * DAYS_PER_YEAR,
         -6.90460016972063023e-5 * DAYS_PER_YEAR, 9.54791938424326609e-4 * SOLAR_MASS},
        {8.34336671824457987, 4.12479856412430479, -4.03523417114321381e-1,
         -2.76742510726862411e-3 * DAYS_PER_YEAR, 4.99852801234917238e-3 * DAYS_PER_YEAR,
         2.30417297573763929e-5 * DAYS_PER_YEAR, 2.85885980666130812e-4 * SOLAR_MASS},
        {1.28943695621391310e1, -1.51111514016986312e1, -2.23307578892655734e-1,
         2.96460137564761618e-3 * DAYS_PER_YEAR, 2.37847173959480950e-3 * DAYS_PER_YEAR,
         -2.96589568540237556e-5 * DAYS_PER_YEAR, 4.36624404335156298e-5 * SOLAR_MASS},
        {1.53796971148509165e1, -2.59193146099879641e1, 1.79258772950371181e-1,
         2.68067772490389322e-3 * DAYS_PER_YEAR, 1.62824170038242295e-3 * DAYS_PER_YEAR,
         -9.51592254519715870e-5 * DAYS_PER_YEAR, 5.15138902046611451e-5 * SOLAR_MASS},
    };
    Body *b = &bodies[0];
    offset_momentum(b, NBODIES);
    printf("%.9f\n", energy(b, NBODIES));
    for (int64_t s = 0; s < steps; s += 1) advance(b, NBODIES, 0.01);
    printf("%.9f\n", energy(b, NBODIES));
    return 0;
}
