// linked.c — C twin of linked.lc
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>

typedef long long i64;
typedef unsigned long long u64;
typedef int i32;
typedef unsigned int u32;
typedef unsigned char u8;

typedef struct Node {
    i64 value;
    struct Node *next;
} Node;

typedef struct Tree {
    i64 key;
    i32 count;
    struct Tree *left;
    struct Tree *right;
} Tree;

typedef struct SumAcc {
    i64 n;
    i64 sum;
    u64 hash;
    i64 last;
    bool sorted;
} SumAcc;

static i64 live = 0;
static u32 rng = 2463534242u;

static u32 xorshift(void) {
    u32 x = rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng = x;
    return x;
}

static Node *node_new(i64 v, Node *next) {
    Node *n = malloc(sizeof(Node));
    n->value = v;
    n->next = next;
    live += 1;
    return n;
}

static void node_free(Node *n) {
    free(n);
    live -= 1;
}

static void list_append(Node **head, i64 v) {
    Node **p = head;
    while (*p != NULL) p = &(*p)->next;
    *p = node_new(v, NULL);
}

static i64 list_len(Node *head) {
    i64 n = 0;
    for (Node *p = head; p != NULL; p = p->next) n += 1;
    return n;
}

static void list_print(const char *label, Node *head) {
    printf("%s [%lld]:", label, list_len(head));
    Node *p = head;
    i64 shown = 0;
    while (p != NULL && shown < 16) {
        printf(" %lld", p->value);
        p = p->next;
        shown += 1;
    }
    printf(p != NULL ? " ...\n" : "\n");
}

static Node *list_reverse(Node *head) {
    Node *prev = NULL;
    Node *cur = head;
    while (cur != NULL) {
        Node *next = cur->next;
        cur->next = prev;
        prev = cur;
        cur = next;
    }
    return prev;
}

static i64 list_remove_if(Node **head, bool (*pred)(i64)) {
    i64 removed = 0;
    Node **p = head;
    while (*p != NULL) {
        Node *n = *p;
        if (pred(n->value)) {
            *p = n->next;
            node_free(n);
            removed += 1;
        } else {
            p = &n->next;
        }
    }
    return removed;
}

static Node *insert_sorted(Node *head, i64 v) {
    if (head == NULL || v <= head->value) return node_new(v, head);
    Node *p = head;
    while (p->next != NULL && p->next->value < v) p = p->next;
    p->next = node_new(v, p->next);
    return head;
}

static Node *merge_sorted(Node *a, Node *b) {
    Node dummy = { 0, NULL };
    Node *tail = &dummy;
    Node *x = a, *y = b;
    while (x != NULL && y != NULL) {
        if (x->value <= y->value) {
            tail->next = x;
            x = x->next;
        } else {
            tail->next = y;
            y = y->next;
        }
        tail = tail->next;
    }
    tail->next = x != NULL ? x : y;
    return dummy.next;
}

static bool has_cycle(Node *head) {
    Node *slow = head, *fast = head;
    while (fast != NULL && fast->next != NULL) {
        slow = slow->next;
        fast = fast->next->next;
        if (slow == fast) return true;
    }
    return false;
}

static void list_free(Node *head) {
    Node *p = head;
    while (p != NULL) {
        Node *next = p->next;
        node_free(p);
        p = next;
    }
}

static bool is_multiple_of_7(i64 v) { return v % 7 == 0; }
static bool is_negative(i64 v) { return v < 0; }

static Tree *tree_insert(Tree *t, i64 key) {
    if (t == NULL) {
        Tree *n = malloc(sizeof(Tree));
        n->key = key;
        n->count = 1;
        n->left = NULL;
        n->right = NULL;
        live += 1;
        return n;
    }
    if (key < t->key) t->left = tree_insert(t->left, key);
    else if (key > t->key) t->right = tree_insert(t->right, key);
    else t->count += 1;
    return t;
}

static Tree *tree_min(Tree *t) {
    Tree *p = t;
    while (p->left != NULL) p = p->left;
    return p;
}

static Tree *tree_delete(Tree *t, i64 key) {
    if (t == NULL) return NULL;
    if (key < t->key) {
        t->left = tree_delete(t->left, key);
        return t;
    }
    if (key > t->key) {
        t->right = tree_delete(t->right, key);
        return t;
    }
    if (t->left == NULL || t->right == NULL) {
        Tree *child = t->left != NULL ? t->left : t->right;
        free(t);
        live -= 1;
        return child;
    }
    Tree *succ = tree_min(t->right);
    t->key = succ->key;
    t->count = succ->count;
    succ->count = 1;
    t->right = tree_delete(t->right, succ->key);
    return t;
}

static Tree *tree_find(Tree *t, i64 key) {
    Tree *p = t;
    while (p != NULL && p->key != key) p = key < p->key ? p->left : p->right;
    return p;
}

static i32 tree_height(Tree *t) {
    if (t == NULL) return 0;
    i32 a = tree_height(t->left);
    i32 b = tree_height(t->right);
    return 1 + (a > b ? a : b);
}

static i64 tree_size(Tree *t) { return t == NULL ? 0 : 1 + tree_size(t->left) + tree_size(t->right); }

static void tree_walk(Tree *t, void (*visit)(Tree *, u8 *), u8 *ctx) {
    if (t == NULL) return;
    tree_walk(t->left, visit, ctx);
    visit(t, ctx);
    tree_walk(t->right, visit, ctx);
}

static void sum_visitor(Tree *t, u8 *ctx) {
    SumAcc *acc = (SumAcc *)ctx;
    if (acc->n > 0 && t->key <= acc->last) acc->sorted = false;
    acc->last = t->key;
    acc->n += 1;
    acc->sum += t->key * (i64)t->count;
    acc->hash = (acc->hash ^ (u64)t->key) * 0x100000001b3ULL;
}

static i64 kth_smallest(Tree *t, i64 k) {
    Tree *stack[128];
    i32 sp = 0;
    Tree *p = t;
    i64 seen = 0;
    while (p != NULL || sp > 0) {
        while (p != NULL) {
            stack[sp] = p;
            sp += 1;
            p = p->left;
        }
        sp -= 1;
        p = stack[sp];
        if (seen == k) return p->key;
        seen += 1;
        p = p->right;
    }
    return -1;
}

static i64 count_range(Tree *t, i64 lo, i64 hi) {
    if (t == NULL) return 0;
    if (t->key < lo) return count_range(t->right, lo, hi);
    if (t->key > hi) return count_range(t->left, lo, hi);
    return (i64)t->count + count_range(t->left, lo, hi) + count_range(t->right, lo, hi);
}

static void tree_free(Tree *t) {
    if (t != NULL) {
        tree_free(t->left);
        tree_free(t->right);
        free(t);
        live -= 1;
    }
}

static void report_tree(const char *label, Tree *t) {
    SumAcc acc = { 0, 0, 0xcbf29ce484222325ULL, 0, true };
    tree_walk(t, sum_visitor, (u8 *)&acc);
    printf("%s: size=%lld height=%d distinct=%lld sum=%lld hash=%llx sorted=%d\n",
           label, tree_size(t), tree_height(t), acc.n, acc.sum, acc.hash, (i32)acc.sorted);
}

int main(void) {
    Node *head = NULL;
    for (i64 i = 1; i <= 20; i += 1) list_append(&head, i * i - 50);
    list_print("squares-50", head);
    head = list_reverse(head);
    list_print("reversed", head);
    i64 r3 = list_remove_if(&head, is_multiple_of_7);
    i64 rn = list_remove_if(&head, is_negative);
    printf("removed %lld multiples of 7 and %lld negatives\n", r3, rn);
    list_print("filtered", head);

    Node *sorted_a = NULL;
    Node *sorted_b = NULL;
    for (i32 i = 0; i < 12; i += 1) {
        sorted_a = insert_sorted(sorted_a, (i64)(xorshift() % 100));
        sorted_b = insert_sorted(sorted_b, (i64)(xorshift() % 100));
    }
    list_print("sorted a", sorted_a);
    list_print("sorted b", sorted_b);
    Node *merged = merge_sorted(sorted_a, sorted_b);
    list_print("merged", merged);

    Node *tail = merged;
    while (tail->next != NULL) tail = tail->next;
    printf("cycle before: %d", (i32)has_cycle(merged));
    tail->next = merged->next->next->next;
    printf(", with cycle: %d", (i32)has_cycle(merged));
    tail->next = NULL;
    printf(", after: %d\n", (i32)has_cycle(merged));
    list_free(merged);
    list_free(head);
    printf("live nodes after lists: %lld\n", live);

    Tree *root = NULL;
    for (i32 i = 0; i < 600; i += 1) root = tree_insert(root, (i64)(xorshift() % 1000));
    report_tree("after insert", root);
    printf("kth: 0->%lld 10->%lld 100->%lld 1000->%lld\n",
           kth_smallest(root, 0), kth_smallest(root, 10), kth_smallest(root, 100), kth_smallest(root, 1000));
    printf("range [100,199]: %lld, [0,999]: %lld\n", count_range(root, 100, 199), count_range(root, 0, 999));

    i64 deleted = 0;
    for (i32 i = 0; i < 400; i += 1) {
        i64 k = (i64)(xorshift() % 1000);
        if (tree_find(root, k) != NULL) deleted += 1;
        root = tree_delete(root, k);
    }
    printf("deleted %lld keys\n", deleted);
    report_tree("after delete", root);
    Tree *m = tree_min(root);
    Tree *f = tree_find(root, m->key);
    printf("min=%lld (count %d) found=%d\n", m->key, m->count, (i32)(f == m));

    Tree *chain = NULL;
    for (i64 i = 0; i < 200; i += 1) chain = tree_insert(chain, i);
    report_tree("chain", chain);
    tree_free(chain);
    tree_free(root);
    printf("live nodes at exit: %lld\n", live);
    return 0;
}
