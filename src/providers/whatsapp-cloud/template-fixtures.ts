import type { GraphTemplate } from '../../../test/fakes/whatsapp-cloud.ts';

/** Templates shaped as Meta's template management reference lists them (GET /{waba_id}/message_templates), for tests. */
export const META_TEMPLATES: GraphTemplate[] = [
  {
    id: '546151681022936', name: 'reservation_confirmation', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameter_format: 'NAMED',
    components: [
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://scontent.whatsapp.net/v/t61.29466-34/reservation.jpg'] } },
      {
        type: 'BODY',
        text: '*You\'re all set!*\n\nYour reservation for {{number_of_guests}} at Lucky Shrub Eatery on {{day}}, {{date}}, at {{time}}, is confirmed. See you then!',
        example: { body_text_named_params: [{ param_name: 'number_of_guests', example: '4' }, { param_name: 'day', example: 'Saturday' }, { param_name: 'date', example: 'August 30th, 2025' }, { param_name: 'time', example: '7:30 pm' }] },
      },
      { type: 'FOOTER', text: 'Lucky Shrub Eatery: The Luckiest Eatery in Town' },
      {
        type: 'BUTTONS', buttons: [
          { type: 'URL', text: 'Change reservation', url: 'https://www.luckyshrub.com/reservations' },
          { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+14155552671' },
          { type: 'QUICK_REPLY', text: 'Cancel reservation' },
        ],
      },
    ],
  },
  {
    id: '1627019861106475', name: 'order_delivery_update', language: 'en', status: 'PENDING', category: 'UTILITY', parameter_format: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Order {{1}} is on its way', example: { header_text: ['#1234'] } },
      { type: 'BODY', text: 'Good news {{1}}! Your order #{{2}} is on its way. Track it below.', example: { body_text: [['Mark', '566701']] } },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track order', url: 'https://www.luckyshrub.com/track?order={{1}}', example: ['https://www.luckyshrub.com/track?order=566701'] }] },
    ],
  },
  {
    id: '1252715608684590', name: 'summer_sale', language: 'en_US', status: 'REJECTED', category: 'MARKETING', rejected_reason: 'PROMOTIONAL',
    components: [{ type: 'BODY', text: 'Our summer sale starts now: 20% off everything!' }],
  },
  {
    id: '961234567890123', name: 'weekly_digest', language: 'es', status: 'PAUSED', category: 'MARKETING',
    components: [{ type: 'BODY', text: 'Hola {{1}}, estas son las novedades de la semana.' }],
  },
  {
    id: '771234567890124', name: 'old_promo', language: 'en_US', status: 'DISABLED', category: 'MARKETING',
    components: [{ type: 'BODY', text: 'Last chance for the spring promo.' }],
  },
  {
    id: '881234567890125', name: 'verify_code', language: 'en_US', status: 'APPROVED', category: 'AUTHENTICATION',
    components: [
      { type: 'BODY', text: '*{{1}}* is your verification code. For your security, do not share this code.', add_security_recommendation: true },
      { type: 'FOOTER', text: 'This code expires in 10 minutes.', code_expiration_minutes: 10 },
      { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
    ],
  },
  {
    id: '991234567890126', name: 'store_location', language: 'en_US', status: 'APPROVED', category: 'UTILITY',
    components: [{ type: 'HEADER', format: 'LOCATION' }, { type: 'BODY', text: 'Find us here.' }],
  },
];
