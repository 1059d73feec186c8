// Package deep compares values for the runtime module's tests and describes
// how they differ. It does what the tests used go-cmp for (Diff, Equal and a
// few options of the same names), so that the runtime module needs no
// requirement at all, its tests' included: a module that adds the runtime
// gets no other module in its graph.
//
// Values are compared as reflect.DeepEqual does, unexported fields
// included, except that a type with a method Equal(T) bool is compared with
// it (time.Time, say), functions are equal only when both are nil, and the
// options below change the comparison of some types.
package deep

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// Option changes how Diff and Equal compare.
type Option interface{ apply(*config) }

// Options is a list of options, itself an option.
type Options []Option

func (o Options) apply(c *config) {
	for _, opt := range o {
		opt.apply(c)
	}
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	ignoreFields     map[reflect.Type]map[string]bool
	ignoreUnexported map[reflect.Type]bool
	comparers        map[reflect.Type]reflect.Value
	equateErrors     bool
	equateEmpty      bool
}

// EquateErrors compares values of types that implement error with
// errors.Is, either way round.
func EquateErrors() Option { return optionFunc(func(c *config) { c.equateErrors = true }) }

// EquateEmpty makes a nil slice or map equal to an empty one.
func EquateEmpty() Option { return optionFunc(func(c *config) { c.equateEmpty = true }) }

// IgnoreFields leaves the named fields of typ's struct type out.
func IgnoreFields(typ any, names ...string) Option {
	t := reflect.TypeOf(typ)
	return optionFunc(func(c *config) {
		if c.ignoreFields[t] == nil {
			c.ignoreFields[t] = map[string]bool{}
		}
		for _, n := range names {
			c.ignoreFields[t][n] = true
		}
	})
}

// IgnoreUnexported leaves the unexported fields of the given struct types
// out.
func IgnoreUnexported(typs ...any) Option {
	return optionFunc(func(c *config) {
		for _, typ := range typs {
			c.ignoreUnexported[reflect.TypeOf(typ)] = true
		}
	})
}

// Comparer compares values of type T with f, a func(a, b T) bool.
func Comparer(f any) Option {
	fv := reflect.ValueOf(f)
	ft := fv.Type()
	if ft.Kind() != reflect.Func || ft.NumIn() != 2 || ft.In(0) != ft.In(1) || ft.NumOut() != 1 || ft.Out(0).Kind() != reflect.Bool {
		panic(fmt.Sprintf("deep.Comparer: %v is not a func(T, T) bool", ft))
	}
	return optionFunc(func(c *config) { c.comparers[ft.In(0)] = fv })
}

// Equal reports whether want and got are equal.
func Equal(want, got any, opts ...Option) bool { return Diff(want, got, opts...) == "" }

// Diff describes how got differs from want, one path a line with the two
// values (-want +got); it is empty when they are equal.
func Diff(want, got any, opts ...Option) string {
	c := &config{
		ignoreFields:     map[reflect.Type]map[string]bool{},
		ignoreUnexported: map[reflect.Type]bool{},
		comparers:        map[reflect.Type]reflect.Value{},
	}
	Options(opts).apply(c)
	d := &differ{config: c, seen: map[[2]uintptr]bool{}}
	d.compare("", reflect.ValueOf(want), reflect.ValueOf(got))
	return strings.Join(d.lines, "\n")
}

type differ struct {
	*config
	lines []string
	seen  map[[2]uintptr]bool // pointer pairs being compared, for cycles
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

func (d *differ) report(path string, want, got reflect.Value) {
	if path == "" {
		path = "value"
	}
	d.lines = append(d.lines, fmt.Sprintf("%s:\n\t- %s\n\t+ %s", strings.TrimPrefix(path, "."), show(want), show(got)))
}

func show(v reflect.Value) string {
	if !v.IsValid() {
		return "<nil>"
	}
	return fmt.Sprintf("%#v", v)
}

func (d *differ) compare(path string, a, b reflect.Value) {
	if !a.IsValid() || !b.IsValid() {
		if a.IsValid() != b.IsValid() {
			d.report(path, a, b)
		}
		return
	}
	if d.equateErrors && a.Type().Implements(errorType) && b.Type().Implements(errorType) && a.CanInterface() && b.CanInterface() {
		if !equalErrors(a, b) {
			d.report(path, a, b)
		}
		return
	}
	if a.Type() != b.Type() {
		d.report(path, a, b)
		return
	}
	t := a.Type()
	if f, ok := d.comparers[t]; ok && a.CanInterface() && b.CanInterface() {
		if !f.Call([]reflect.Value{a, b})[0].Bool() {
			d.report(path, a, b)
		}
		return
	}
	if m, ok := t.MethodByName("Equal"); ok && a.CanInterface() && b.CanInterface() &&
		m.Type.NumIn() == 2 && m.Type.In(1) == t && m.Type.NumOut() == 1 && m.Type.Out(0).Kind() == reflect.Bool {
		if !a.MethodByName("Equal").Call([]reflect.Value{b})[0].Bool() {
			d.report(path, a, b)
		}
		return
	}
	switch t.Kind() {
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				d.report(path, a, b)
			}
			return
		}
		d.compare(path, a.Elem(), b.Elem())
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() || a.Pointer() == b.Pointer() {
			if a.IsNil() != b.IsNil() {
				d.report(path, a, b)
			}
			return
		}
		key := [2]uintptr{a.Pointer(), b.Pointer()}
		if d.seen[key] {
			return
		}
		d.seen[key] = true
		d.compare(path, a.Elem(), b.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if d.ignoreFields[t][f.Name] || (!f.IsExported() && d.ignoreUnexported[t]) {
				continue
			}
			d.compare(path+"."+f.Name, a.Field(i), b.Field(i))
		}
	case reflect.Slice, reflect.Map:
		if a.Len() == 0 && b.Len() == 0 && (d.equateEmpty || a.IsNil() == b.IsNil()) {
			return
		}
		if a.IsNil() != b.IsNil() {
			d.report(path, a, b)
			return
		}
		if t.Kind() == reflect.Map {
			d.compareMaps(path, a, b)
			return
		}
		fallthrough
	case reflect.Array:
		if a.Len() != b.Len() {
			d.report(path, a, b)
			return
		}
		for i := 0; i < a.Len(); i++ {
			d.compare(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i))
		}
	case reflect.Func:
		if !a.IsNil() || !b.IsNil() {
			d.report(path, a, b)
		}
	case reflect.Chan, reflect.UnsafePointer:
		if a.Pointer() != b.Pointer() {
			d.report(path, a, b)
		}
	default:
		if !equalScalars(a, b) {
			d.report(path, a, b)
		}
	}
}

func (d *differ) compareMaps(path string, a, b reflect.Value) {
	for _, k := range a.MapKeys() {
		bv := b.MapIndex(k)
		if !bv.IsValid() {
			d.report(fmt.Sprintf("%s[%#v]", path, k), a.MapIndex(k), bv)
			continue
		}
		d.compare(fmt.Sprintf("%s[%#v]", path, k), a.MapIndex(k), bv)
	}
	for _, k := range b.MapKeys() {
		if !a.MapIndex(k).IsValid() {
			d.report(fmt.Sprintf("%s[%#v]", path, k), reflect.Value{}, b.MapIndex(k))
		}
	}
}

// equalErrors is go-cmp's EquateErrors: nil only equals nil; otherwise
// errors.Is either way round.
func equalErrors(a, b reflect.Value) bool {
	ea, _ := a.Interface().(error)
	eb, _ := b.Interface().(error)
	if ea == nil || eb == nil {
		return ea == nil && eb == nil
	}
	return errors.Is(ea, eb) || errors.Is(eb, ea)
}

func equalScalars(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	case reflect.Complex64, reflect.Complex128:
		return a.Complex() == b.Complex()
	case reflect.String:
		return a.String() == b.String()
	}
	panic("deep: cannot compare " + a.Type().String())
}
