// planets.c — C twin of planets.lc
#include <stdio.h>
#include <math.h>

typedef long long i64;
typedef int i32;

#define PI 3.141592653589793
#define SOLAR_MASS (4.0 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define NBODIES 5

typedef struct Body {
    double x, y, z, vx, vy, vz, mass;
} Body;

typedef struct Vec3 {
    double x, y, z;
} Vec3;

static Body bodies[5] = {
    { 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS },
    {
        4.84143144246472090,
        -1.16032004402742839,
        -1.03622044471123109e-01,
        1.66007664274403694e-03 * DAYS_PER_YEAR,
        7.69901118419740425e-03 * DAYS_PER_YEAR,
        -6.90460016972063023e-05 * DAYS_PER_YEAR,
        9.54791938424326609e-04 * SOLAR_MASS,
    },
    {
        8.34336671824457987,
        4.12479856412430479,
        -4.03523417114321381e-01,
        -2.76742510726862411e-03 * DAYS_PER_YEAR,
        4.99852801234917238e-03 * DAYS_PER_YEAR,
        2.30417297573763929e-05 * DAYS_PER_YEAR,
        2.85885980666130812e-04 * SOLAR_MASS,
    },
    {
        12.8943695621391310,
        -15.1111514016986312,
        -2.23307578892655734e-01,
        2.96460137564761618e-03 * DAYS_PER_YEAR,
        2.37847173959480950e-03 * DAYS_PER_YEAR,
        -2.96589568540237556e-05 * DAYS_PER_YEAR,
        4.36624404335156298e-05 * SOLAR_MASS,
    },
    {
        15.3796971148509165,
        -25.9193146099879641,
        1.79258772950371181e-01,
        2.68067772490389322e-03 * DAYS_PER_YEAR,
        1.62824170038242295e-03 * DAYS_PER_YEAR,
        -9.51592254519715870e-05 * DAYS_PER_YEAR,
        5.15138902046611451e-05 * SOLAR_MASS,
    },
};

static Vec3 position(Body *b) {
    Vec3 v = { b->x, b->y, b->z };
    return v;
}

static Vec3 vsub(Vec3 a, Vec3 b) {
    Vec3 v = { a.x - b.x, a.y - b.y, a.z - b.z };
    return v;
}

static double vdot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }

static void offset_momentum(void) {
    double px = 0.0, py = 0.0, pz = 0.0;
    for (i32 i = 0; i < NBODIES; i += 1) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

static double energy(void) {
    double e = 0.0;
    for (i32 i = 0; i < NBODIES; i += 1) {
        Body *b = &bodies[i];
        e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (i32 j = i + 1; j < NBODIES; j += 1) {
            Vec3 d = vsub(position(b), position(&bodies[j]));
            e -= (b->mass * bodies[j].mass) / sqrt(vdot(d, d));
        }
    }
    return e;
}

static void advance(double dt) {
    for (i32 i = 0; i < NBODIES; i += 1) {
        Body *bi = &bodies[i];
        for (i32 j = i + 1; j < NBODIES; j += 1) {
            Body *bj = &bodies[j];
            double dx = bi->x - bj->x;
            double dy = bi->y - bj->y;
            double dz = bi->z - bj->z;
            double dsq = dx * dx + dy * dy + dz * dz;
            double dist = sqrt(dsq);
            double mag = dt / (dsq * dist);
            bi->vx -= dx * bj->mass * mag;
            bi->vy -= dy * bj->mass * mag;
            bi->vz -= dz * bj->mass * mag;
            bj->vx += dx * bi->mass * mag;
            bj->vy += dy * bi->mass * mag;
            bj->vz += dz * bi->mass * mag;
        }
    }
    for (i32 i = 0; i < NBODIES; i += 1) {
        Body *b = &bodies[i];
        b->x += dt * b->vx;
        b->y += dt * b->vy;
        b->z += dt * b->vz;
    }
}

typedef struct Shot {
    float range;
    float apex;
    i32 steps;
    float impact_speed;
} Shot;

static Shot projectile(float angle_deg, float speed) {
    const float g = 9.81f;
    const float k = 0.0125f;
    const float dt = 0.005f;
    float rad = angle_deg * (float)PI / 180.0f;
    float r2 = rad * rad;
    float s = rad * (1.0f - r2 / 6.0f * (1.0f - r2 / 20.0f * (1.0f - r2 / 42.0f)));
    float c = 1.0f - r2 / 2.0f * (1.0f - r2 / 12.0f * (1.0f - r2 / 30.0f * (1.0f - r2 / 56.0f)));
    float x = 0.0f, y = 0.0f;
    float vx = speed * c;
    float vy = speed * s;
    Shot shot = { 0.0f, 0.0f, 0, 0.0f };
    while (y >= 0.0f && shot.steps < 100000) {
        float v = sqrtf(vx * vx + vy * vy);
        float ax = -k * v * vx;
        float ay = -g - k * v * vy;
        vx += ax * dt;
        vy += ay * dt;
        x += vx * dt;
        y += vy * dt;
        shot.apex = shot.apex > y ? shot.apex : y;
        shot.steps += 1;
    }
    shot.range = x;
    shot.impact_speed = sqrtf(vx * vx + vy * vy);
    return shot;
}

int main(void) {
    offset_momentum();
    printf("%.9f\n", energy());
    const i64 steps = 1000;
    for (i64 s = 1; s <= steps; s += 1) {
        advance(0.01);
        if (s % 250 == 0) printf("step %4lld: %.9f\n", s, energy());
    }
    for (i32 i = 0; i < NBODIES; i += 1) {
        Body b = bodies[i];
        printf("body %d: pos=(%.6f, %.6f, %.6f) |v|=%.6f\n", i, b.x, b.y, b.z,
               sqrt(b.vx * b.vx + b.vy * b.vy + b.vz * b.vz));
    }

    const float angles[4] = { 15.0f, 30.0f, 45.0f, 60.0f };
    for (i32 a = 0; a < 4; a += 1) {
        Shot shot = projectile(angles[a], 50.0f);
        printf("angle %2.0f: range=%.4f apex=%.4f steps=%d impact=%.4f\n",
               angles[a], shot.range, shot.apex, shot.steps, shot.impact_speed);
    }
    return 0;
}
