import { storedPhoneToE164 } from '../lib/phone.js';

export interface OperatorPhone {
  id: number;
  name: string;
  phoneNumber: string;
}

/** A stored number libphonenumber writes differently ("+4402079460958" -> "+442079460958"). */
export interface PhoneFix {
  operator: OperatorPhone;
  to: string;
}

/** Operators whose numbers are one number written in different ways: each would become `number`. */
export interface PhoneClash {
  number: string;
  operators: OperatorPhone[];
}

export interface PhonePlan {
  fixes: PhoneFix[];
  clashes: PhoneClash[];
  /** Numbers that are no number in use; nothing can tell what was meant, so they stay as they are. */
  unrecognised: OperatorPhone[];
}

/**
 * What the numbers stored before libphonenumber (decision 0006) should become. Two operators that would
 * end up with the same number are left as they are: which of them owns the phone is for a person to say.
 */
export function planPhoneFixes(operators: readonly OperatorPhone[]): PhonePlan {
  const byNumber = new Map<string, OperatorPhone[]>();
  const unrecognised: OperatorPhone[] = [];
  for (const operator of operators) {
    const number = storedPhoneToE164(operator.phoneNumber);
    if (!number) unrecognised.push(operator);
    const key = number ?? operator.phoneNumber;
    byNumber.set(key, [...(byNumber.get(key) ?? []), operator]);
  }
  const plan: PhonePlan = { fixes: [], clashes: [], unrecognised };
  for (const [number, group] of byNumber) {
    if (group.length > 1) plan.clashes.push({ number, operators: group });
    else if (group[0]!.phoneNumber !== number) plan.fixes.push({ operator: group[0]!, to: number });
  }
  return plan;
}
