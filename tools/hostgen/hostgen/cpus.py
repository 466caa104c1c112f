"""CPU lists and CPU masks exactly as the kernel prints them.

cpumap_print_to_pagebuf() uses "%*pbl" for lists ("0-3,8-11") and "%*pb"
for masks: hex in 32-bit chunks separated by commas, most significant chunk
first; every chunk is 8 digits except the first, which is zero-padded to
ceil((nr_cpu_ids % 32) / 4) digits (8 when nr_cpu_ids is a multiple of 32).
"""


def cpulist(cpus):
    """Kernel "%*pbl" format of a set of CPU numbers (without newline)."""
    cpus = sorted(set(cpus))
    parts = []
    i = 0
    while i < len(cpus):
        j = i
        while j + 1 < len(cpus) and cpus[j + 1] == cpus[j] + 1:
            j += 1
        parts.append(str(cpus[i]) if i == j else "%d-%d" % (cpus[i], cpus[j]))
        i = j + 1
    return ",".join(parts)


def cpumask(cpus, nr_cpu_ids):
    """Kernel "%*pb" format of a set of CPU numbers (without newline)."""
    value = 0
    for c in cpus:
        value |= 1 << c
    chunks = []
    first = nr_cpu_ids % 32 or 32
    i = ((nr_cpu_ids + 31) // 32) * 32 - 32
    width_bits = first
    while i >= 0:
        chunk = (value >> i) & ((1 << width_bits) - 1)
        chunks.append("%0*x" % ((width_bits + 3) // 4, chunk))
        width_bits = 32
        i -= 32
    return ",".join(chunks)
