package tracesql

import (
	"net/url"
	"strings"
)

// Obfuscate replaces the literals of a SQL statement with "?": strings
// ('...', E'...', N'...', X'...', B'...', $tag$...$tag$), numbers (decimal,
// with a fraction or an exponent, 0x hex) and a list of them after IN,
// which becomes "(?)". Identifiers, keywords, placeholders ($1, ?, :name,
// @p), quoted identifiers ("...", `...`) and comments are kept. A statement
// it cannot read to the end (an unterminated string) is cut where the
// string starts, so no part of the literal is kept.
func Obfuscate(query string) string {
	var b strings.Builder
	b.Grow(len(query))
	lastWord := "" // the last keyword or identifier, upper case
	for i := 0; i < len(query); {
		c := query[i]
		switch {
		case c == '\'':
			end, ok := quoted(query, i, '\'', false)
			b.WriteByte('?')
			if !ok {
				return b.String()
			}
			i = end
			lastWord = ""
		case (c == 'E' || c == 'e') && i+1 < len(query) && query[i+1] == '\'' && !identBefore(query, i):
			end, ok := quoted(query, i+1, '\'', true)
			b.WriteByte('?')
			if !ok {
				return b.String()
			}
			i = end
			lastWord = ""
		case strings.IndexByte("NnXxBb", c) >= 0 && i+1 < len(query) && query[i+1] == '\'' && !identBefore(query, i):
			end, ok := quoted(query, i+1, '\'', false)
			b.WriteByte('?')
			if !ok {
				return b.String()
			}
			i = end
			lastWord = ""
		case c == '"' || c == '`':
			end, _ := quoted(query, i, c, false)
			b.WriteString(query[i:end])
			i = end
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				end = len(query) - i
			}
			b.WriteString(query[i : i+end])
			i += end
		case c == '/' && i+1 < len(query) && query[i+1] == '*':
			end := strings.Index(query[i+2:], "*/")
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+2+end+2])
			i += 2 + end + 2
		case c == '$' && i+1 < len(query) && isDigit(query[i+1]):
			// A placeholder, $1.
			j := i + 1
			for j < len(query) && isDigit(query[j]) {
				j++
			}
			b.WriteString(query[i:j])
			i = j
		case c == '$':
			// A dollar-quoted string, $$...$$ or $tag$...$tag$.
			j := i + 1
			for j < len(query) && isIdentChar(query[j]) {
				j++
			}
			if j < len(query) && query[j] == '$' {
				tag := query[i : j+1]
				end := strings.Index(query[j+1:], tag)
				b.WriteByte('?')
				if end < 0 {
					return b.String()
				}
				i = j + 1 + end + len(tag)
				lastWord = ""
				continue
			}
			b.WriteByte(c)
			i++
		case isDigit(c) || c == '.' && i+1 < len(query) && isDigit(query[i+1]):
			if identBefore(query, i) {
				b.WriteByte(c) // part of a name: t1
				i++
				continue
			}
			i = number(query, i)
			b.WriteByte('?')
			lastWord = ""
		case isIdentStart(c):
			j := i
			for j < len(query) && isIdentChar(query[j]) {
				j++
			}
			b.WriteString(query[i:j])
			lastWord = strings.ToUpper(query[i:j])
			i = j
		case c == '(' && lastWord == "IN":
			if end, ok := literalList(query, i); ok {
				b.WriteString("(?)")
				i = end
				lastWord = ""
				continue
			}
			b.WriteByte(c)
			i++
			lastWord = ""
		default:
			b.WriteByte(c)
			i++
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				lastWord = ""
			}
		}
	}
	return b.String()
}

// quoted returns the end of the quoted text starting at query[i] (the
// quote), a doubled quote being one quote, and with backslash escapes
// when backslash is set; ok is false when it does not end.
func quoted(query string, i int, q byte, backslash bool) (end int, ok bool) {
	for j := i + 1; j < len(query); j++ {
		switch query[j] {
		case '\\':
			if backslash {
				j++
			}
		case q:
			if j+1 < len(query) && query[j+1] == q {
				j++
				continue
			}
			return j + 1, true
		}
	}
	return len(query), false
}

// number returns the end of the number starting at query[i].
func number(query string, i int) int {
	j := i
	if j+1 < len(query) && query[j] == '0' && (query[j+1] == 'x' || query[j+1] == 'X') {
		j += 2
		for j < len(query) && isHex(query[j]) {
			j++
		}
		return j
	}
	for j < len(query) && (isDigit(query[j]) || query[j] == '.') {
		j++
	}
	if j < len(query) && (query[j] == 'e' || query[j] == 'E') {
		k := j + 1
		if k < len(query) && (query[k] == '+' || query[k] == '-') {
			k++
		}
		if k < len(query) && isDigit(query[k]) {
			j = k
			for j < len(query) && isDigit(query[j]) {
				j++
			}
		}
	}
	return j
}

// literalList reports whether the parenthesized list at query[i] holds
// only literals and placeholders, and where it ends.
func literalList(query string, i int) (int, bool) {
	depth := 0
	items := 0
	for j := i; j < len(query); j++ {
		switch c := query[j]; {
		case c == '(':
			depth++
			if depth > 1 {
				return 0, false // a row or a subquery
			}
		case c == ')':
			return j + 1, items > 0
		case c == '\'':
			end, ok := quoted(query, j, '\'', false)
			if !ok {
				return 0, false
			}
			j = end - 1
			items++
		case isDigit(c) || c == '?' || c == '$' || c == '-' || c == '+' || c == '.' || c == ':' || c == '@':
			items++
		case c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r':
		case isIdentStart(c):
			// A named placeholder's name, after : or @, is fine; a column
			// or a subquery is not.
			if j > 0 && (query[j-1] == ':' || query[j-1] == '@' || isIdentChar(query[j-1])) {
				continue
			}
			if rest := strings.ToUpper(query[j:min(j+4, len(query))]); strings.HasPrefix(rest, "NULL") {
				j += 3
				items++
				continue
			}
			return 0, false
		default:
			return 0, false
		}
	}
	return 0, false
}

func identBefore(query string, i int) bool { return i > 0 && isIdentChar(query[i-1]) }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func isIdentStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

func isIdentChar(c byte) bool { return isIdentStart(c) || isDigit(c) }

// dsnFacts reads the user and the database name from a data source name,
// never its password: a URL (postgres://user:pw@host/db), key=value pairs
// (user=x password=y dbname=z), or MySQL's user:pw@tcp(host)/db.
func dsnFacts(dsn string) (user, instance string) {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" && u.Host != "" {
		if u.User != nil {
			user = u.User.Username()
		}
		return user, strings.TrimPrefix(u.Path, "/")
	}
	if strings.Contains(dsn, "=") && !strings.Contains(dsn, "@") {
		for _, f := range strings.Fields(dsn) {
			k, v, _ := strings.Cut(f, "=")
			v = strings.Trim(v, "'")
			switch k {
			case "user":
				user = v
			case "dbname":
				instance = v
			}
		}
		return user, instance
	}
	if at := strings.LastIndex(dsn, "@"); at >= 0 {
		cred := dsn[:at]
		user, _, _ = strings.Cut(cred, ":")
		rest := dsn[at+1:]
		if open := strings.IndexByte(rest, '('); open >= 0 {
			if end := strings.IndexByte(rest[open:], ')'); end >= 0 {
				rest = rest[open+end+1:] // the address, tcp(host) or unix(/path)
			}
		}
		if slash := strings.Index(rest, "/"); slash >= 0 {
			instance, _, _ = strings.Cut(rest[slash+1:], "?")
		}
	}
	return user, instance
}
