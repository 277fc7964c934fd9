// One instruction set's matrix product, included once per scalar type and instruction set by
// matrix_product.c. It expects SCALAR, LANES (elements per vector), TILE_ROWS and
// TILE_VECTORS (the register tile: rows of C × vectors of C per row), DEPTH_BLOCK (terms per
// pass over C), COLUMN_ROWS (rows per pass over one of the last n mod LANES columns) and
// NAME(x), which makes a name unique to this inclusion. No include guard: it is a template.

typedef SCALAR NAME(vector) __attribute__((ext_vector_type(LANES), aligned(sizeof(SCALAR))));

/// C[0..<rows][0..<vectors·LANES] of one tile, with A(i, p) = a[i·a_row + p·a_column] and
/// B(p, j) = b[p·ldb + j]. Inlined with constant `rows` and `vectors`, so the accumulators
/// live in registers.
static inline __attribute__((always_inline)) void NAME(tile)(int rows, int vectors, int k, const SCALAR *a, long a_row,
                                                           long a_column, const SCALAR *b, long ldb, int accumulate,
                                                           SCALAR *c, long ldc) {
    NAME(vector) sums[TILE_ROWS][TILE_VECTORS];
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vectors; v++)
            sums[r][v] = accumulate ? *(const NAME(vector) *)(c + r * ldc + v * LANES) : (NAME(vector))0;
    for (int p = 0; p < k; p++) {
        NAME(vector) column[TILE_VECTORS];
        for (int v = 0; v < vectors; v++) column[v] = *(const NAME(vector) *)(b + p * ldb + v * LANES);
        for (int r = 0; r < rows; r++) {
            NAME(vector) element = a[r * a_row + p * a_column];
            for (int v = 0; v < vectors; v++) sums[r][v] = __builtin_elementwise_fma(element, column[v], sums[r][v]);
        }
    }
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vectors; v++) *(NAME(vector) *)(c + r * ldc + v * LANES) = sums[r][v];
}

#if TILE_ROWS != 4 && TILE_ROWS != 6
#error "NAME(rows) has cases for tiles of 4 or 6 rows"
#endif

/// Rows 0 ..< m of `vectors` vectors of C, in the fewest tiles, their heights differing by at
/// most one: a few rows (a rollout's environments) share each load of B as well as many do.
static inline __attribute__((always_inline)) void NAME(rows)(int vectors, int m, int k, const SCALAR *a, long a_row,
                                                           long a_column, const SCALAR *b, long ldb, int accumulate,
                                                           SCALAR *c, long ldc) {
#define TILE_CASE(height)                                                                                      \
    case height:                                                                                               \
        NAME(tile)(height, vectors, k, a + i * a_row, a_row, a_column, b, ldb, accumulate, c + i * ldc, ldc);  \
        break;
    int i = 0;
    for (int tiles = (m + TILE_ROWS - 1) / TILE_ROWS; tiles > 0; tiles--) {
        int height = (m - i + tiles - 1) / tiles;
        switch (height) {
            TILE_CASE(1)
            TILE_CASE(2)
            TILE_CASE(3)
            TILE_CASE(4)
#if TILE_ROWS == 6
            TILE_CASE(5)
            TILE_CASE(6)
#endif
        }
        i += height;
    }
#undef TILE_CASE
}

/// C[0..<rows][0] of one column of C, addressed as in NAME(tile), one scalar sum per row.
static inline __attribute__((always_inline)) void NAME(column)(int rows, int k, const SCALAR *a, long a_row,
                                                             long a_column, const SCALAR *b, long ldb, int accumulate,
                                                             SCALAR *c, long ldc) {
    SCALAR sums[COLUMN_ROWS];
    for (int r = 0; r < rows; r++) sums[r] = accumulate ? c[r * ldc] : 0;
    for (int p = 0; p < k; p++) {
        SCALAR element = b[p * ldb];
        for (int r = 0; r < rows; r++)
            sums[r] = __builtin_elementwise_fma(a[r * a_row + p * a_column], element, sums[r]);
    }
    for (int r = 0; r < rows; r++) c[r * ldc] = sums[r];
}

/// C (m × n) = A·B (+ C) over one block of terms, A and B addressed as in NAME(tile): whole
/// column blocks of TILE_VECTORS vectors, then single vectors, then single elements for the last
/// n mod LANES columns.
static void NAME(product_block)(int m, int n, int k, const SCALAR *a, long a_row, long a_column, const SCALAR *b,
                                long ldb, int accumulate, SCALAR *c, long ldc) {
    int j = 0;
    for (; j + TILE_VECTORS * LANES <= n; j += TILE_VECTORS * LANES)
        NAME(rows)(TILE_VECTORS, m, k, a, a_row, a_column, b + j, ldb, accumulate, c + j, ldc);
    for (; j + LANES <= n; j += LANES) NAME(rows)(1, m, k, a, a_row, a_column, b + j, ldb, accumulate, c + j, ldc);
    for (; j < n; j++) {
        int i = 0;
        for (; i + COLUMN_ROWS <= m; i += COLUMN_ROWS)
            NAME(column)(COLUMN_ROWS, k, a + i * a_row, a_row, a_column, b + j, ldb, accumulate, c + i * ldc + j, ldc);
        for (; i < m; i++)
            NAME(column)(1, k, a + i * a_row, a_row, a_column, b + j, ldb, accumulate, c + i * ldc + j, ldc);
    }
}

/// C (m × n) = A·B (+ C), DEPTH_BLOCK terms at a time so that the block of B a tile reads stays
/// in the L1 cache. Between blocks each partial sum waits in C, stored exactly, so the sum of
/// every element still runs over p = 0 ..< k in order.
static void NAME(blocked_product)(int m, int n, int k, const SCALAR *a, long a_row, long a_column, const SCALAR *b,
                                  long ldb, int accumulate, SCALAR *c, long ldc) {
    int p = 0;
    do {
        int terms = k - p < DEPTH_BLOCK ? k - p : DEPTH_BLOCK;
        NAME(product_block)(m, n, terms, a + p * a_column, a_row, a_column, b + p * ldb, ldb, accumulate || p > 0, c,
                            ldc);
        p += terms;
    } while (p < k);
}

/// Columns j0 ..< j0 + columns of C (m × n) = A·B (+ C) for an A stored transposed (a_row = 1),
/// computed as the rows of their transpose op(B)ᵀ·op(A)ᵀ, whose right factor is then A itself
/// with contiguous rows. Vectors run along C's m rows, where C has too few columns left to fill
/// one (a first layer's weight gradient with 11 inputs). Each element is the same sum of the same
/// products in the same order, fma(b, a, c) being fma(a, b, c) exactly.
static void NAME(transposed_columns)(int m, int j0, int columns, int k, const SCALAR *a, long a_column,
                                     const SCALAR *b, long ldb, int accumulate, SCALAR *c, long ldc) {
    SCALAR *c_transposed = malloc(sizeof(SCALAR) * (size_t)columns * (size_t)m);
    if (!c_transposed) abort();
    if (accumulate)
        for (int i = 0; i < m; i++)
            for (int j = 0; j < columns; j++) c_transposed[(long)j * m + i] = c[i * ldc + j0 + j];
    NAME(blocked_product)(columns, m, k, b + j0, 1, ldb, a, a_column, accumulate, c_transposed, m);
    for (int i = 0; i < m; i++)
        for (int j = 0; j < columns; j++) c[i * ldc + j0 + j] = c_transposed[(long)j * m + i];
    free(c_transposed);
}

/// C (m × n) = A·B (+ C), A and B addressed as in NAME(tile). With A stored transposed, the last
/// n mod LANES columns go through their transpose when C has at least a vector's worth of rows.
static void NAME(product)(int m, int n, int k, const SCALAR *a, long a_row, long a_column, const SCALAR *b, long ldb,
                          int accumulate, SCALAR *c, long ldc) {
    int narrow = n % LANES;
    if (narrow > 0 && m >= LANES && a_row == 1) {
        NAME(transposed_columns)(m, n - narrow, narrow, k, a, a_column, b, ldb, accumulate, c, ldc);
        n -= narrow;
        if (n == 0) return;
    }
    NAME(blocked_product)(m, n, k, a, a_row, a_column, b, ldb, accumulate, c, ldc);
}
