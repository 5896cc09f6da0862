# Format specs on ints beyond 64 bits: bases, prefixes, signs, grouping,
# widths and alignment, printf-style %x/%d/%#o, float types (converted,
# OverflowError past a float) and 'c'; unknown presentation types.
print(format(2**64, 'x'))
print(f'{2**70:#o}')
print('{:b}'.format(-2**65))
print(f'{2**80:,}')
print(f'{2**70:_x}')
print(f'{-2**66:>30}|')
print(f'{2**64:020d}')
print('%x' % 2**64)
print('%d' % -2**70)
print(f'{2**70:e}')
print(f'{2**70:f}')
print(f'{2**64:X}', f'{2**64:#X}', f'{-2**64:#x}')
print(f'{2**64:+}', f'{2**64: }', f'{-2**64:+d}')
print(f'{2**65:#034b}')
print(f'{-2**65:=+40_d}|')
print(f'{2**64:^40}|')
print(f'{2**64:*<30}|')
print(f'{2**100:_b}')
print(f'{2**100:,d}')
print(f'{-2**64:#_o}')
print(f'{2**70:.3e}', f'{2**70:g}', f'{2**70:%}')
print('%#x' % 2**64, '%#o' % -2**64, '%30d|' % 2**64, '%-30d|' % 2**64, '%+d' % 2**64, '%030x' % 2**64)
print(format(2**64, ''), format(-2**64, 'n'))
try:
    f'{2**70:c}'
except Exception as e:
    print(type(e).__name__, e)
try:
    format(2**70, 's')
except Exception as e:
    print(type(e).__name__, e)
try:
    format(2**2000, 'e')
except Exception as e:
    print(type(e).__name__, e)
print(f'{2**1000:x}'[:20], len(f'{2**1000:_d}'))
for a,b in [(True,'s'),(5,'s'),(5,'q'),(2**70,'q'),(1.5,'q'),(1.5,'d'),(2**2000,'q')]:
    try: print(format(a,b))
    except Exception as e: print(type(e).__name__, e)
print('%#x|%#o|%#X|%#5x|%#05x' % (255,8,255,1,1))
print('%#x|%#o|%#X|%#5x|%#05x' % (-255,-8,-255,-1,-1))
