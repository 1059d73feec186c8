package tracesql

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"reflect"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
)

// conn wraps a driver connection. It implements every optional interface
// database/sql looks for, falling back with driver.ErrSkip (or the neutral
// answer) when the wrapped connection lacks one, which database/sql treats
// as "not implemented".
type conn struct {
	base driver.Conn
	cfg  *config
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
)

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	span := c.cfg.start(ctx, "prepare", "")
	var (
		s   driver.Stmt
		err error
	)
	if pc, ok := c.base.(driver.ConnPrepareContext); ok {
		s, err = pc.PrepareContext(ctx, query)
	} else {
		s, err = c.base.Prepare(query)
	}
	finish(span, err)
	if err != nil {
		return nil, err
	}
	return &stmt{base: s, query: query, cfg: c.cfg}, nil
}

func (c *conn) Close() error { return c.base.Close() }

// Begin is the pre-context method; database/sql calls BeginTx.
func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	span := c.cfg.start(ctx, "BEGIN", "")
	var (
		tx  driver.Tx
		err error
	)
	if bt, ok := c.base.(driver.ConnBeginTx); ok {
		tx, err = bt.BeginTx(ctx, opts)
	} else {
		//lint:ignore SA1019 the driver offers nothing newer
		tx, err = c.base.Begin()
	}
	finish(span, err)
	if err != nil {
		return nil, err
	}
	return &transaction{base: tx, ctx: ctx, cfg: c.cfg}, nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	var do func() (driver.Rows, error)
	switch q := c.base.(type) {
	case driver.QueryerContext:
		do = func() (driver.Rows, error) { return q.QueryContext(ctx, query, args) }
	//lint:ignore SA1019 a driver may offer only the old interface
	case driver.Queryer:
		vals, err := values(args)
		if err != nil {
			return nil, driver.ErrSkip // database/sql takes the prepared path
		}
		do = func() (driver.Rows, error) { return q.Query(query, vals) }
	default:
		return nil, driver.ErrSkip
	}
	// The span is made once the driver answered: a driver that declines
	// (driver.ErrSkip: database/sql then prepares the statement, which is
	// traced) gets none.
	if !c.cfg.traces(ctx) {
		return do()
	}
	began := time.Now()
	rows, err := do()
	if errors.Is(err, driver.ErrSkip) {
		return rows, err
	}
	return traceRows(c.cfg.startAt(ctx, "query", query, began), rows, err)
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	var do func() (driver.Result, error)
	switch e := c.base.(type) {
	case driver.ExecerContext:
		do = func() (driver.Result, error) { return e.ExecContext(ctx, query, args) }
	//lint:ignore SA1019 a driver may offer only the old interface
	case driver.Execer:
		vals, err := values(args)
		if err != nil {
			return nil, driver.ErrSkip
		}
		do = func() (driver.Result, error) { return e.Exec(query, vals) }
	default:
		return nil, driver.ErrSkip
	}
	if !c.cfg.traces(ctx) {
		return do()
	}
	began := time.Now()
	res, err := do()
	if errors.Is(err, driver.ErrSkip) {
		return res, err
	}
	finish(c.cfg.startAt(ctx, "exec", query, began), err)
	return res, err
}

func (c *conn) Ping(ctx context.Context) error {
	p, ok := c.base.(driver.Pinger)
	if !ok {
		return nil
	}
	span := c.cfg.start(ctx, "PING", "")
	err := p.Ping(ctx)
	finish(span, err)
	return err
}

func (c *conn) ResetSession(ctx context.Context) error {
	if r, ok := c.base.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *conn) IsValid() bool {
	if v, ok := c.base.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.base.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type transaction struct {
	base driver.Tx
	ctx  context.Context
	cfg  *config
}

func (t *transaction) Commit() error {
	span := t.cfg.start(t.ctx, "COMMIT", "")
	err := t.base.Commit()
	finish(span, err)
	return err
}

func (t *transaction) Rollback() error {
	span := t.cfg.start(t.ctx, "ROLLBACK", "")
	err := t.base.Rollback()
	finish(span, err)
	return err
}

type stmt struct {
	base  driver.Stmt
	query string
	cfg   *config
}

var (
	_ driver.StmtExecContext   = (*stmt)(nil)
	_ driver.StmtQueryContext  = (*stmt)(nil)
	_ driver.NamedValueChecker = (*stmt)(nil)
)

func (s *stmt) Close() error  { return s.base.Close() }
func (s *stmt) NumInput() int { return s.base.NumInput() }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	span := s.cfg.start(ctx, "exec", s.query)
	var (
		res driver.Result
		err error
	)
	if e, ok := s.base.(driver.StmtExecContext); ok {
		res, err = e.ExecContext(ctx, args)
	} else if vals, verr := values(args); verr != nil {
		err = verr
	} else {
		//lint:ignore SA1019 the driver offers nothing newer
		res, err = s.base.Exec(vals)
	}
	finish(span, err)
	return res, err
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	span := s.cfg.start(ctx, "query", s.query)
	var (
		rows driver.Rows
		err  error
	)
	if q, ok := s.base.(driver.StmtQueryContext); ok {
		rows, err = q.QueryContext(ctx, args)
	} else if vals, verr := values(args); verr != nil {
		err = verr
	} else {
		//lint:ignore SA1019 the driver offers nothing newer
		rows, err = s.base.Query(vals)
	}
	return traceRows(span, rows, err)
}

func (s *stmt) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := s.base.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// traceRows ends span when the rows are closed, so that it covers reading
// them, with the number read (db.rows) and an error that ended them early.
func traceRows(span tracegen.Span, r driver.Rows, err error) (driver.Rows, error) {
	if err != nil || span == nil {
		finish(span, err)
		return r, err
	}
	return &rows{base: r, span: span}, nil
}

// rows wraps driver.Rows. It has every optional method of driver.Rows,
// answering as database/sql does for a driver without it when the wrapped
// rows lack one.
type rows struct {
	base driver.Rows
	span tracegen.Span
	n    int
	err  error
	done bool
}

var (
	_ driver.RowsNextResultSet              = (*rows)(nil)
	_ driver.RowsColumnTypeScanType         = (*rows)(nil)
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ driver.RowsColumnTypeLength           = (*rows)(nil)
	_ driver.RowsColumnTypeNullable         = (*rows)(nil)
	_ driver.RowsColumnTypePrecisionScale   = (*rows)(nil)
)

func (r *rows) Columns() []string { return r.base.Columns() }

func (r *rows) Next(dest []driver.Value) error {
	err := r.base.Next(dest)
	switch {
	case err == nil:
		r.n++
	case err != io.EOF && r.err == nil:
		r.err = err
	}
	return err
}

func (r *rows) Close() error {
	err := r.base.Close()
	if !r.done {
		r.done = true
		r.span.SetTag("db.rows", r.n)
		if r.err == nil {
			r.err = err
		}
		finish(r.span, r.err)
	}
	return err
}

func (r *rows) HasNextResultSet() bool {
	n, ok := r.base.(driver.RowsNextResultSet)
	return ok && n.HasNextResultSet()
}

func (r *rows) NextResultSet() error {
	if n, ok := r.base.(driver.RowsNextResultSet); ok {
		return n.NextResultSet()
	}
	return io.EOF
}

var anyType = reflect.TypeOf((*any)(nil)).Elem()

func (r *rows) ColumnTypeScanType(i int) reflect.Type {
	if c, ok := r.base.(driver.RowsColumnTypeScanType); ok {
		return c.ColumnTypeScanType(i)
	}
	return anyType
}

func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	if c, ok := r.base.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return c.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *rows) ColumnTypeLength(i int) (int64, bool) {
	if c, ok := r.base.(driver.RowsColumnTypeLength); ok {
		return c.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *rows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if c, is := r.base.(driver.RowsColumnTypeNullable); is {
		return c.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *rows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if c, is := r.base.(driver.RowsColumnTypePrecisionScale); is {
		return c.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

// errNamedArgs is returned when named arguments reach a driver that only
// takes positional ones, as database/sql itself would report.
type errNamedArgs struct{}

func (errNamedArgs) Error() string { return "sql: driver does not support the use of Named Parameters" }

func values(args []driver.NamedValue) ([]driver.Value, error) {
	out := make([]driver.Value, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, errNamedArgs{}
		}
		out[i] = a.Value
	}
	return out, nil
}
