package workflowsrc

import (
	"reflect"
	"strings"
	"testing"
)

func TestEvalExpression(t *testing.T) {
	env := &Env{
		Vars: map[string]any{
			"resp": map[string]any{"code": int64(200), "body": map[string]any{"caller": "a@b", "items": []any{int64(1), int64(2)}}},
			"base": "https://hello.run.app",
			"n":    int64(7),
			"x":    2.5,
		},
		SysEnv: map[string]string{"GOOGLE_CLOUD_PROJECT_ID": "demo-project"},
	}
	tests := []struct {
		expr    string
		want    any
		wantErr string
	}{
		{expr: "resp.code", want: int64(200)},
		{expr: `resp.body["caller"]`, want: "a@b"},
		{expr: "resp.body.items[1]", want: int64(2)},
		{expr: `base + "/greet"`, want: "https://hello.run.app/greet"},
		{expr: "'single' + \"double\"", want: "singledouble"},
		{expr: "n * 2 + 1", want: int64(15)},
		{expr: "n / 2", want: 3.5},
		{expr: "n % 4", want: int64(3)},
		{expr: "x + n", want: 9.5},
		{expr: "-(n - 10)", want: int64(3)},
		{expr: "resp.code == 200 and not (n < 5)", want: true},
		{expr: "resp.code != 200 or n >= 7", want: true},
		{expr: "len(resp.body.items)", want: int64(2)},
		{expr: "keys(resp.body)", want: []any{"caller", "items"}},
		{expr: "default(missing, \"fallback\")", want: "fallback"},
		{expr: "string(n) + \"!\"", want: "7!"},
		{expr: "int(\"42\")", want: int64(42)},
		{expr: "map.get(resp.body, \"caller\")", want: "a@b"},
		{expr: "text.to_upper(\"ab\")", want: "AB"},
		{expr: "json.encode_to_string({\"a\": [1, true, null]})", want: `{"a":[1,true,null]}`},
		{expr: "json.decode(\"{\\\"k\\\": 3}\").k", want: int64(3)},
		{expr: "sys.get_env(\"GOOGLE_CLOUD_PROJECT_ID\")", want: "demo-project"},
		{expr: "[1, 2] + [3]", want: []any{int64(1), int64(2), int64(3)}},
		{expr: "missing", wantErr: "KeyError"},
		{expr: "resp.nope", wantErr: "KeyError"},
		{expr: "resp.body.items[5]", wantErr: "IndexError"},
		{expr: "n + \"a\"", wantErr: "TypeError"},
		{expr: "n / 0", wantErr: "ZeroDivisionError"},
		{expr: "nosuch.fn(1)", wantErr: "not supported"},
		{expr: "(n", wantErr: "expected \")\""},
		{expr: "n n", wantErr: "unexpected"},
		{expr: "\"open", wantErr: "unterminated"},
		{expr: "a # b", wantErr: "unexpected character"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got, err := EvalExpression(tt.expr, env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("= %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestEvalValue(t *testing.T) {
	env := &Env{Vars: map[string]any{"who": "world", "n": int64(1)}}
	in := map[string]any{
		"greeting": "${\"hello \" + who}",
		"literal":  "not ${ an expression",
		"count":    1,
		"list":     []any{"${n + 1}", 3},
	}
	got, err := Eval(in, env)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"greeting": "hello world",
		"literal":  "not ${ an expression",
		"count":    int64(1),
		"list":     []any{int64(2), int64(3)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Eval = %#v, want %#v", got, want)
	}
}

// FuzzEvalExpression checks that no expression makes the evaluator panic.
func FuzzEvalExpression(f *testing.F) {
	for _, s := range []string{"a.b[1] + 2", "len(x) == 3 and not y", "{\"k\": [1, 'a']}", "default(z, -1.5) % 2"} {
		f.Add(s)
	}
	env := &Env{Vars: map[string]any{"a": map[string]any{"b": []any{int64(1), int64(2)}}, "x": "abc", "y": false}}
	f.Fuzz(func(t *testing.T, src string) {
		_, _ = EvalExpression(src, env)
	})
}
