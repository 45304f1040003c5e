// US Social Security numbers: AAA-GG-SSSS. Area 000, 666 and 900-999 are never issued, nor group
// 00 or serial 0000; a few numbers are famous enough to be examples rather than anyone's.

const NOT_ISSUED = new Set(['078051120', '219099999', '123456789', '111111111', '222222222', '333333333', '444444444', '555555555', '777777777', '888888888', '987654320', '987654321']);

/** `digits` is the nine digits without separators. */
export function ssnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (group === 0 || serial === 0) return false;
  return !NOT_ISSUED.has(digits);
}
