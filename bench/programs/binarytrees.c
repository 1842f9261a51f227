/* binarytrees.c — C twin of binarytrees.lc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Node {
    struct Node *left;
    struct Node *right;
} Node;

static Node *bottom_up_tree(int32_t depth) {
    Node *node = malloc(sizeof(Node));
    if (depth > 0) {
        node->left = bottom_up_tree(depth - 1);
        node->right = bottom_up_tree(depth - 1);
    } else {
        node->left = NULL;
        node->right = NULL;
    }
    return node;
}

static int32_t item_check(Node *node) {
    if (node->left == NULL) return 1;
    return 1 + item_check(node->left) + item_check(node->right);
}

static void delete_tree(Node *node) {
    if (node->left != NULL) {
        delete_tree(node->left);
        delete_tree(node->right);
    }
    free(node);
}

int main(int argc, char **argv) {
    int32_t n = 10;
    if (argc > 1) n = atoi(argv[1]);
    const int32_t min_depth = 4;
    const int32_t max_depth = min_depth + 2 > n ? min_depth + 2 : n;
    const int32_t stretch_depth = max_depth + 1;

    Node *stretch = bottom_up_tree(stretch_depth);
    printf("stretch tree of depth %d\t check: %d\n", stretch_depth, item_check(stretch));
    delete_tree(stretch);

    Node *long_lived = bottom_up_tree(max_depth);

    for (int32_t depth = min_depth; depth <= max_depth; depth += 2) {
        int32_t iterations = 1 << (max_depth - depth + min_depth);
        int32_t check = 0;
        for (int32_t i = 1; i <= iterations; i += 1) {
            Node *t = bottom_up_tree(depth);
            check += item_check(t);
            delete_tree(t);
        }
        printf("%d\t trees of depth %d\t check: %d\n", iterations, depth, check);
    }

    printf("long lived tree of depth %d\t check: %d\n", max_depth, item_check(long_lived));
    delete_tree(long_lived);
    return 0;
}
