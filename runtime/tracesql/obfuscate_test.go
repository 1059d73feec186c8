package tracesql

import "testing"

func TestObfuscate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT * FROM users WHERE name = 'ann' AND age > 42", "SELECT * FROM users WHERE name = ? AND age > ?"},
		{"SELECT 'it''s', 'a\\'", "SELECT ?, ?"},
		{"SELECT E'a\\'b' FROM t", "SELECT ? FROM t"},
		{"SELECT N'x', X'0aff', B'101', 0xFF, 1.5e-3, .5, 7.", "SELECT ?, ?, ?, ?, ?, ?, ?"},
		{"SELECT $$secret$$, $tag$a $$ b$tag$", "SELECT ?, ?"},
		{"SELECT * FROM t WHERE id IN (1, 2, 3)", "SELECT * FROM t WHERE id IN (?)"},
		{"SELECT * FROM t WHERE id in ('a','b')", "SELECT * FROM t WHERE id in (?)"},
		{"SELECT * FROM t WHERE id IN ($1, $2)", "SELECT * FROM t WHERE id IN (?)"},
		{"SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = 1)", "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = ?)"},
		{"SELECT * FROM t WHERE (a, b) IN ((1, 2))", "SELECT * FROM t WHERE (a, b) IN ((?, ?))"},
		{"INSERT INTO t1 (c2) VALUES ($1, ?, :name, @p1)", "INSERT INTO t1 (c2) VALUES ($1, ?, :name, @p1)"},
		{`SELECT "col 1", ` + "`col2`" + ` FROM t2`, `SELECT "col 1", ` + "`col2`" + ` FROM t2`},
		{"SELECT 1 -- note 'kept'\n, 2 /* and 'this' */", "SELECT ? -- note 'kept'\n, ? /* and 'this' */"},
		{"UPDATE t SET pw = 'hunter2", "UPDATE t SET pw = ?"},
		{"SELECT NULL, TRUE, x IS NULL", "SELECT NULL, TRUE, x IS NULL"},
		{"SELECT -5, a-1", "SELECT -?, a-?"},
	}
	for _, tt := range tests {
		if got := Obfuscate(tt.in); got != tt.want {
			t.Errorf("Obfuscate(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func FuzzObfuscate(f *testing.F) {
	for _, s := range []string{"SELECT 'a', 1 FROM t WHERE x IN (1,2)", "$$x", "E'\\", "X'", "/* ", "-- x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		out := Obfuscate(q)
		// A quoted literal never survives: no ' outside what was kept as is.
		if len(out) > len(q)+3*countParens(q) {
			t.Fatalf("Obfuscate grew %q to %q", q, out)
		}
		if Obfuscate(out) != Obfuscate(Obfuscate(out)) {
			t.Fatalf("not stable on %q", q)
		}
	})
}

func countParens(s string) int {
	n := 1
	for i := 0; i < len(s); i++ {
		if s[i] == '(' {
			n++
		}
	}
	return n
}

func TestDSNFacts(t *testing.T) {
	tests := []struct{ dsn, user, instance string }{
		{"postgres://app:s3cret@db.local:5432/shop?sslmode=disable", "app", "shop"},
		{"user=app password=s3cret dbname=shop host=/tmp", "app", "shop"},
		{"app:s3cret@tcp(127.0.0.1:3306)/shop?parseTime=true", "app", "shop"},
		{"app@unix(/run/mysqld.sock)/shop", "app", "shop"},
		{"file:test.db?cache=shared", "", ""},
	}
	for _, tt := range tests {
		if u, i := dsnFacts(tt.dsn); u != tt.user || i != tt.instance {
			t.Errorf("dsnFacts(%q) = %q, %q; want %q, %q", tt.dsn, u, i, tt.user, tt.instance)
		}
	}
}
