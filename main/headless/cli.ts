process.stdout.write('gatehouse: under construction\n');
