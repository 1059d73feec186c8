package tracesql_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
)

// fakeDriver is a driver whose connections answer every query with one row
// holding the query text, and fail queries that contain "FAIL".
// With legacy set, connections offer only the pre-context methods, so
// database/sql takes the Prepare path.
type fakeDriver struct{ legacy bool }

var errFake = errors.New("fake: failed")

func (d fakeDriver) Open(string) (driver.Conn, error) {
	if d.legacy {
		return &legacyConn{}, nil
	}
	return &fakeConn{}, nil
}

type legacyConn struct{}

func (c *legacyConn) Prepare(query string) (driver.Stmt, error) { return &fakeStmt{query: query}, nil }
func (c *legacyConn) Close() error                              { return nil }
func (c *legacyConn) Begin() (driver.Tx, error)                 { return fakeTx{}, nil }

type fakeConn struct{ legacyConn }

func (c *fakeConn) QueryContext(_ context.Context, query string, _ []driver.NamedValue) (driver.Rows, error) {
	if containsFail(query) {
		return nil, errFake
	}
	return &fakeRows{row: query}, nil
}

func (c *fakeConn) ExecContext(_ context.Context, query string, _ []driver.NamedValue) (driver.Result, error) {
	if containsFail(query) {
		return nil, errFake
	}
	return driver.RowsAffected(1), nil
}

type fakeTx struct{}

func (fakeTx) Commit() error   { return nil }
func (fakeTx) Rollback() error { return nil }

type fakeStmt struct{ query string }

func (s *fakeStmt) Close() error  { return nil }
func (s *fakeStmt) NumInput() int { return -1 }
func (s *fakeStmt) Exec([]driver.Value) (driver.Result, error) {
	if containsFail(s.query) {
		return nil, errFake
	}
	return driver.RowsAffected(1), nil
}
func (s *fakeStmt) Query([]driver.Value) (driver.Rows, error) {
	if containsFail(s.query) {
		return nil, errFake
	}
	return &fakeRows{row: s.query}, nil
}

type fakeRows struct {
	row  string
	done bool
}

func (r *fakeRows) Columns() []string { return []string{"q"} }
func (r *fakeRows) Close() error      { return nil }
func (r *fakeRows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0] = r.row
	return nil
}

func containsFail(q string) bool {
	for i := 0; i+4 <= len(q); i++ {
		if q[i:i+4] == "FAIL" {
			return true
		}
	}
	return false
}
