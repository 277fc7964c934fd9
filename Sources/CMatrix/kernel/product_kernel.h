// One instruction set's matrix product, included once per scalar type and instruction set by
// matrix_product.c. It expects SCALAR, LANES (elements per vector), TILE_ROWS and
// TILE_VECTORS (the register tile: rows of C × vectors of C per row) and NAME(x), which
// makes a name unique to this inclusion. No include guard: it is a template.

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

/// C (m × n) = A·B (+ C), A and B addressed as in NAME(tile): whole tiles, then single
/// vectors, then single elements for the last n mod LANES columns.
static void NAME(product)(int m, int n, int k, const SCALAR *a, long a_row, long a_column, const SCALAR *b, long ldb,
                          int accumulate, SCALAR *c, long ldc) {
    int j = 0;
    for (; j + TILE_VECTORS * LANES <= n; j += TILE_VECTORS * LANES) {
        int i = 0;
        for (; i + TILE_ROWS <= m; i += TILE_ROWS)
            NAME(tile)(TILE_ROWS, TILE_VECTORS, k, a + i * a_row, a_row, a_column, b + j, ldb, accumulate, c + i * ldc + j, ldc);
        for (; i < m; i++)
            NAME(tile)(1, TILE_VECTORS, k, a + i * a_row, a_row, a_column, b + j, ldb, accumulate, c + i * ldc + j, ldc);
    }
    for (; j + LANES <= n; j += LANES) {
        int i = 0;
        for (; i + TILE_ROWS <= m; i += TILE_ROWS)
            NAME(tile)(TILE_ROWS, 1, k, a + i * a_row, a_row, a_column, b + j, ldb, accumulate, c + i * ldc + j, ldc);
        for (; i < m; i++)
            NAME(tile)(1, 1, k, a + i * a_row, a_row, a_column, b + j, ldb, accumulate, c + i * ldc + j, ldc);
    }
    for (; j < n; j++) {
        for (int i = 0; i < m; i++) {
            SCALAR sum = accumulate ? c[i * ldc + j] : 0;
            for (int p = 0; p < k; p++) sum = __builtin_elementwise_fma(a[i * a_row + p * a_column], b[p * ldb + j], sum);
            c[i * ldc + j] = sum;
        }
    }
}
