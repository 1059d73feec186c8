package tracesql_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"reflect"
	"testing"

	"github.com/tracegen/tracegen/runtime/mocktracer"
	"github.com/tracegen/tracegen/runtime/tracesql"
)

// richConn has every optional interface database/sql looks for, each
// counting its calls, so the tests can prove that each still works through
// the wrapper.
type richConn struct {
	legacyConn
	calls map[string]int
	valid bool
}

func (c *richConn) Ping(context.Context) error { c.calls["ping"]++; return nil }
func (c *richConn) ResetSession(context.Context) error {
	c.calls["reset"]++
	return nil
}
func (c *richConn) IsValid() bool { c.calls["valid"]++; return c.valid }
func (c *richConn) CheckNamedValue(nv *driver.NamedValue) error {
	c.calls["check"]++
	if s, ok := nv.Value.(stringer); ok {
		nv.Value = s.String() // a type database/sql would refuse
		return nil
	}
	return driver.ErrSkip
}
func (c *richConn) QueryContext(_ context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.calls["query"]++
	if query == "FAIL LATER" {
		return &richRows{failAt: 2, n: 5}, nil
	}
	return &richRows{n: 3, sets: 2}, nil
}

// oldConn offers only the pre-context Execer and Queryer.
type oldConn struct {
	legacyConn
	calls map[string]int
}

func (c *oldConn) Exec(string, []driver.Value) (driver.Result, error) {
	c.calls["exec"]++
	return driver.RowsAffected(1), nil
}
func (c *oldConn) Query(string, []driver.Value) (driver.Rows, error) {
	c.calls["query"]++
	return &richRows{n: 1}, nil
}

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

// richRows yields n rows of one int column, over sets result sets, and
// fails at row failAt (from 1) if set.
type richRows struct {
	n, i, failAt, sets, set int
}

func (r *richRows) Columns() []string { return []string{"n"} }
func (r *richRows) Close() error      { return nil }
func (r *richRows) Next(dest []driver.Value) error {
	if r.failAt > 0 && r.i+1 == r.failAt {
		return errFake
	}
	if r.i == r.n {
		return io.EOF
	}
	r.i++
	dest[0] = int64(r.i)
	return nil
}
func (r *richRows) HasNextResultSet() bool { return r.set+1 < r.sets }
func (r *richRows) NextResultSet() error {
	if r.set+1 >= r.sets {
		return io.EOF
	}
	r.set++
	r.i = 0
	return nil
}
func (r *richRows) ColumnTypeScanType(int) reflect.Type               { return reflect.TypeOf(int64(0)) }
func (r *richRows) ColumnTypeDatabaseTypeName(int) string             { return "BIGINT" }
func (r *richRows) ColumnTypeLength(int) (int64, bool)                { return 8, true }
func (r *richRows) ColumnTypeNullable(int) (bool, bool)               { return true, true }
func (r *richRows) ColumnTypePrecisionScale(int) (int64, int64, bool) { return 19, 0, true }

type closingConnector struct {
	conn   driver.Conn
	closed *bool
}

func (c closingConnector) Connect(context.Context) (driver.Conn, error) { return c.conn, nil }
func (c closingConnector) Driver() driver.Driver                        { return fakeDriver{} }
func (c closingConnector) Close() error                                 { *c.closed = true; return nil }

func TestOptionalInterfaces(t *testing.T) {
	calls := map[string]int{}
	closed := false
	rc := &richConn{calls: calls, valid: true}
	tr := mocktracer.New()
	db := sql.OpenDB(tracesql.WrapConnector(closingConnector{conn: rc, closed: &closed}, tracesql.WithTracer(tr)))
	ctx := context.Background()

	if err := db.PingContext(ctx); err != nil || calls["ping"] != 1 {
		t.Fatalf("Pinger: %v, %d calls", err, calls["ping"])
	}
	rows, err := db.QueryContext(ctx, "SELECT n", stringer{"custom"})
	if err != nil {
		t.Fatal(err)
	}
	if calls["check"] == 0 {
		t.Error("NamedValueChecker was not called")
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	ct := types[0]
	length, lok := ct.Length()
	nullable, nok := ct.Nullable()
	prec, scale, pok := ct.DecimalSize()
	if ct.DatabaseTypeName() != "BIGINT" || ct.ScanType() != reflect.TypeOf(int64(0)) || length != 8 || !lok || !nullable || !nok || prec != 19 || scale != 0 || !pok {
		t.Errorf("column type through the wrapper: %s %v %d/%v %v/%v %d,%d/%v", ct.DatabaseTypeName(), ct.ScanType(), length, lok, nullable, nok, prec, scale, pok)
	}
	total, sets := 0, 1
	for {
		for rows.Next() {
			total++
		}
		if !rows.NextResultSet() {
			break
		}
		sets++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if total != 6 || sets != 2 {
		t.Errorf("read %d rows in %d result sets, want 6 in 2", total, sets)
	}

	// A query whose rows fail part way: the error and the count are on the
	// span, which ends when the rows close.
	rows, err = db.QueryContext(ctx, "FAIL LATER")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
	}
	if !errors.Is(rows.Err(), errFake) {
		t.Fatalf("rows.Err() = %v", rows.Err())
	}
	rows.Close()

	// QueryRow with no rows: sql.ErrNoRows is the caller's answer, not an
	// error of the span.
	rc.calls["query"] = 0
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT n").Scan(&n); err != nil || n != 1 {
		t.Fatalf("QueryRow = %d, %v", n, err)
	}

	// Validator and SessionResetter run when a connection goes back to the
	// pool and is reused.
	if calls["reset"] == 0 || calls["valid"] == 0 {
		t.Errorf("SessionResetter %d calls, Validator %d", calls["reset"], calls["valid"])
	}
	db.Close()
	if !closed {
		t.Error("DB.Close did not close the connector (io.Closer)")
	}

	spans := tr.FinishedSpans()
	byName := map[string][]*mocktracer.Span{}
	for _, s := range spans {
		byName[s.OperationName()] = append(byName[s.OperationName()], s)
	}
	if len(byName["PING"]) != 1 {
		t.Errorf("PING spans: %d, want 1", len(byName["PING"]))
	}
	sel := byName["SELECT"]
	if len(sel) != 2 || sel[0].Tag("db.rows") != 6 || sel[0].Tag("error") != nil || sel[1].Tag("db.rows") != 1 || sel[1].Tag("error") != nil {
		t.Errorf("SELECT spans: %v", sel)
	}
	fail := byName["FAIL"]
	if len(fail) != 1 || fail[0].Tag("db.rows") != 1 || fail[0].Tag("error") != true {
		t.Errorf("FAIL span: %v", fail)
	}
}

// TestOldExecerQueryer: a driver with only the pre-context Execer and
// Queryer is called through them, not through Prepare.
func TestOldExecerQueryer(t *testing.T) {
	calls := map[string]int{}
	closed := false
	tr := mocktracer.New()
	db := sql.OpenDB(tracesql.WrapConnector(closingConnector{conn: &oldConn{calls: calls}, closed: &closed}, tracesql.WithTracer(tr)))
	defer db.Close()
	if _, err := db.Exec("UPDATE t SET x = 1", 1); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("SELECT x", 1)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
	}
	rows.Close()
	if calls["exec"] != 1 || calls["query"] != 1 {
		t.Errorf("Execer %d calls, Queryer %d; want 1 each", calls["exec"], calls["query"])
	}
	if n := len(tr.FinishedSpans()); n != 2 {
		t.Errorf("%d spans, want 2", n)
	}
}
