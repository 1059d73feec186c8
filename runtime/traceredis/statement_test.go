package traceredis

import "testing"

func TestStatement(t *testing.T) {
	tests := []struct {
		args       []any
		want, full string
	}{
		{[]any{"set", "session:42", "tok3n"}, "set session:42 ?", "set session:42 tok3n"},
		{[]any{"get", "session:42"}, "get session:42", "get session:42"},
		{[]any{"mset", "a", "1", "b", 2}, "mset a ? b ?", "mset a 1 b 2"},
		{[]any{"hset", "user:7", "name", "ann"}, "hset user:7 ? ?", "hset user:7 name ann"},
		{[]any{"del", "a", "b"}, "del a b", "del a b"},
		{[]any{"blpop", "q1", "q2", 0}, "blpop q1 q2 ?", "blpop q1 q2 0"},
		{[]any{"rename", "a", "b"}, "rename a b", "rename a b"},
		{[]any{"eval", "return 1", "2", "k1", "k2", "x"}, "eval ? ? k1 k2 ?", "eval return 1 2 k1 k2 x"},
		{[]any{"zunionstore", "dst", "2", "a", "b", "weights", "1", "2"}, "zunionstore dst ? a b ? ? ?", "zunionstore dst 2 a b weights 1 2"},
		{[]any{"zunion", "2", "a", "b"}, "zunion ? a b", "zunion 2 a b"},
		{[]any{"xread", "count", "2", "streams", "s1", "s2", "0", "0"}, "xread ? ? ? s1 s2 ? ?", "xread count 2 streams s1 s2 0 0"},
		{[]any{"client", "setinfo", "lib-name", "go-redis"}, "client setinfo ? ?", "client setinfo lib-name go-redis"},
		{[]any{"ping"}, "ping", "ping"},
		{[]any{"echo", "hi"}, "echo", "echo hi"},
		{[]any{"NOSUCHCOMMAND", "x"}, "NOSUCHCOMMAND", "NOSUCHCOMMAND x"},
		// Credentials, under every option.
		{[]any{"auth", "pw"}, "auth", "auth ?"},
		{[]any{"auth", "default", "pw"}, "auth", "auth ? ?"},
		{[]any{"hello", "3", "auth", "default", "pw", "setname", "app"}, "hello", "hello 3 auth ? ? setname app"},
		{[]any{"migrate", "h", "6379", "", "0", "5000", "auth", "pw", "keys", "a"}, "migrate", "migrate h 6379  0 5000 auth ? keys a"},
		{[]any{"migrate", "h", "6379", "", "0", "5000", "auth2", "u", "pw"}, "migrate", "migrate h 6379  0 5000 auth2 ? ?"},
		{[]any{"acl", "setuser", "bob", "on", ">pw"}, "acl setuser ? ? ?", "acl setuser bob ? ?"},
		{[]any{"config", "set", "requirepass", "pw"}, "config set ? ?", "config set requirepass ?"},
	}
	for _, tt := range tests {
		if got := statement(tt.args, false); got != tt.want {
			t.Errorf("statement(%q) = %q, want %q", tt.args, got, tt.want)
		}
		if got := statement(tt.args, true); got != tt.full {
			t.Errorf("statement(%q, full) = %q, want %q", tt.args, got, tt.full)
		}
	}
}
