package variadic

import "context"

//trace:span tags=sep
func Join(ctx context.Context, sep string, parts ...string) (string, error) {
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += sep
		}
		s += p
	}
	return s, nil
}
