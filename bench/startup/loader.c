// Start-up yardstick for `bee run X.o --duration 0`: the same work in C on libbpf. Opens an object,
// loads it, attaches every program, then detaches, frees everything and exits.
#include <bpf/libbpf.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: loader OBJ.o\n");
		return 2;
	}
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || libbpf_get_error(obj)) {
		fprintf(stderr, "cannot open %s\n", argv[1]);
		return 1;
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "cannot load %s\n", argv[1]);
		return 1;
	}
	struct bpf_link *links[64];
	int n = 0;
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj) {
		if (n < 64) {
			links[n] = bpf_program__attach(p);
			if (!links[n]) {
				fprintf(stderr, "cannot attach %s\n", bpf_program__name(p));
				return 1;
			}
			n++;
		}
	}
	for (int i = n - 1; i >= 0; i--)
		bpf_link__destroy(links[i]);
	bpf_object__close(obj);
	return 0;
}
