/**
 * The most characters each text field of a user takes. The HTTP schemas declare them, and the use
 * cases check them again for input that does not come through those schemas (a file given to the
 * command line), so that both refuse the same values with the same words.
 */
export const USER_FIELD_MAX_LENGTHS = {
  email: 254,
  password: 256,
  first_name: 150,
  last_name: 150,
  phone_number: 32,
  telegram_id: 32,
  locale: 35,
  timezone: 64,
} as const;

export const tooLong = (limit: number) => `Ensure this field has no more than ${limit} characters.`;
