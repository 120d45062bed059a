// The settings pages' messages in the four languages (English is the reference: every key; the others translate each).

/** English. */
export const en = {
  'nav.settings': 'Settings',
  'settings.title': 'Settings',
  'settings.tab.channels': 'Channels',
  'settings.tab.templates': 'Templates',
  'settings.tab.keys': 'API keys',
  'settings.tab.users': 'Users',
  'settings.tab.teams': 'Teams',
  'settings.tab.fields': 'Custom fields',
};
/** French. */
export const fr: Record<keyof typeof en, string> = {
  'nav.settings': 'Paramètres',
  'settings.title': 'Paramètres',
  'settings.tab.channels': 'Canaux',
  'settings.tab.templates': 'Modèles',
  'settings.tab.keys': 'Clés d’API',
  'settings.tab.users': 'Utilisateurs',
  'settings.tab.teams': 'Équipes',
  'settings.tab.fields': 'Champs personnalisés',
};
/** Spanish. */
export const es: Record<keyof typeof en, string> = {
  'nav.settings': 'Ajustes',
  'settings.title': 'Ajustes',
  'settings.tab.channels': 'Canales',
  'settings.tab.templates': 'Plantillas',
  'settings.tab.keys': 'Claves de API',
  'settings.tab.users': 'Usuarios',
  'settings.tab.teams': 'Equipos',
  'settings.tab.fields': 'Campos personalizados',
};
/** Portuguese. */
export const pt: Record<keyof typeof en, string> = {
  'nav.settings': 'Configurações',
  'settings.title': 'Configurações',
  'settings.tab.channels': 'Canais',
  'settings.tab.templates': 'Modelos',
  'settings.tab.keys': 'Chaves de API',
  'settings.tab.users': 'Usuários',
  'settings.tab.teams': 'Equipes',
  'settings.tab.fields': 'Campos personalizados',
};
