package termbg

import "testing"

func TestDark(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		env     map[string]string
		want    bool
		wantErr bool
	}{
		{name: "absent", env: nil, want: true},
		{name: "dark bg", env: map[string]string{"COLORFGBG": "15;0"}, want: true},
		{name: "light bg", env: map[string]string{"COLORFGBG": "0;15"}, want: false},
		{name: "light bg 7", env: map[string]string{"COLORFGBG": "0;7"}, want: false},
		{name: "three fields", env: map[string]string{"COLORFGBG": "0;default;15"}, want: false},
		{name: "garbage", env: map[string]string{"COLORFGBG": "\x1b[2J"}, want: true},
		{name: "override light", env: map[string]string{"COLORFGBG": "15;0", EnvBackground: "light"}, want: false},
		{name: "override dark", env: map[string]string{"COLORFGBG": "0;15", EnvBackground: " Dark "}, want: true},
		{name: "bad override keeps COLORFGBG", env: map[string]string{"COLORFGBG": "0;15", EnvBackground: "pink"}, want: false, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Dark(func(k string) string { return tc.env[k] })
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Fatalf("Dark(%q) = %v, %v; want %v, error %v", tc.env, got, err, tc.want, tc.wantErr)
			}
		})
	}
}
