export const origins = ['https://shop.example.com'];
