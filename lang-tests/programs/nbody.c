// C twin of nbody.lc.
#include <stdio.h>
#include <math.h>
typedef struct { double x, y, z, vx, vy, vz, mass; } Body;
#define PI 3.141592653589793
#define SOLAR_MASS (4.0 * PI * PI)
#define DAYS 365.24
static double energy(Body *b, long long n) {
    double e = 0.0;
    for (long long i = 0; i < n; i += 1) {
        Body *p = b + i;
        e += 0.5 * p->mass * (p->vx * p->vx + p->vy * p->vy + p->vz * p->vz);
        for (long long j = i + 1; j < n; j += 1) {
            Body *q = b + j;
            double dx = p->x - q->x, dy = p->y - q->y, dz = p->z - q->z;
            e -= p->mass * q->mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}
static void advance(Body *b, long long n, double dt) {
    for (long long i = 0; i < n; i += 1) {
        Body *p = b + i;
        for (long long j = i + 1; j < n; j += 1) {
            Body *q = b + j;
            double dx = p->x - q->x, dy = p->y - q->y, dz = p->z - q->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            p->vx -= dx * q->mass * mag;
            p->vy -= dy * q->mass * mag;
            p->vz -= dz * q->mass * mag;
            q->vx += dx * p->mass * mag;
            q->vy += dy * p->mass * mag;
            q->vz += dz * p->mass * mag;
        }
    }
    for (long long i = 0; i < n; i += 1) {
        Body *p = b + i;
        p->x += dt * p->vx;
        p->y += dt * p->vy;
        p->z += dt * p->vz;
    }
}
int main(void) {
    Body bodies[5] = {
        {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS},
        {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
         1.66007664274403694e-03 * DAYS, 7.69901118419740425e-03 * DAYS,
         -6.90460016972063023e-05 * DAYS, 9.54791938424326609e-04 * SOLAR_MASS},
        {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
         -2.76742510726862411e-03 * DAYS, 4.99852801234917238e-03 * DAYS,
         2.30417297573763929e-05 * DAYS, 2.85885980666130812e-04 * SOLAR_MASS},
        {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
         2.96460137564761618e-03 * DAYS, 2.37847173959480950e-03 * DAYS,
         -2.96589568540237556e-05 * DAYS, 4.36624404335156298e-05 * SOLAR_MASS},
        {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
         2.68067772490389322e-03 * DAYS, 1.62824170038242295e-03 * DAYS,
         -9.51592254519715870e-05 * DAYS, 5.15138902046611451e-05 * SOLAR_MASS},
    };
    Body *b = &bodies[0];
    double px = 0.0, py = 0.0, pz = 0.0;
    for (int i = 0; i < 5; i += 1) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
    printf("%.17g\n", energy(b, 5));
    for (int step = 0; step < 100000; step += 1) advance(b, 5, 0.01);
    printf("%.17g\n", energy(b, 5));
    printf("%.17g %.17g\n", bodies[1].x, bodies[4].vz);
    return 0;
}
